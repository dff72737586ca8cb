package dev.rewind.internal.store;

import java.io.InputStream;
import java.util.List;

/** A checkpoint's data read back chunk by chunk, each one checked against its name as it comes. */
final class ChunkInputStream extends InputStream {
    private final ChunkStore chunks;
    private final List<ChunkRef> refs;
    private int next;
    private byte[] current = new byte[0];
    private int pos;

    ChunkInputStream(ChunkStore chunks, List<ChunkRef> refs) {
        this.chunks = chunks;
        this.refs = refs;
    }

    private boolean fill() {
        while (pos == current.length) {
            if (next == refs.size()) {
                return false;
            }
            current = chunks.read(refs.get(next++));
            pos = 0;
        }
        return true;
    }

    @Override
    public int read() {
        return fill() ? current[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return current.length - pos;
    }
}
