package dev.rewind.it.programs;

import java.util.ArrayList;
import java.util.List;

/**
 * A checkpoint five classes deep (static, virtual, interface, private and nested-class calls), each
 * frame holding its own locals that it combines with the callee's result after the return.
 */
@ProgramSpec(hotMethods = {"P30_FiveClassChain$Gateway::handle", "P30_FiveClassChain$MemoryRepository::encodeRow|P30_FiveClassChain$Codec::encode"})
public final class P30_FiveClassChain {
    static final class Gateway {
        private final Service service = new Service("svc");

        long handle(int request) {
            String route = "/r" + (request % 4);
            long t0 = request * 1000L;
            long r = service.process(route, request);
            return t0 + r + route.length();
        }
    }

    static final class Service {
        private final String name;
        private final Repository repo = new MemoryRepository();
        private int processed;

        Service(String name) {
            this.name = name;
        }

        long process(String route, int request) {
            processed++;
            double weight = 1.0 + request / 10.0;
            List<String> keys = new ArrayList<>(List.of(route, name));
            long stored = repo.store(keys, request);
            return stored + (long) (weight * 10) + processed;
        }
    }

    interface Repository {
        long store(List<String> keys, int value);
    }

    static final class MemoryRepository implements Repository {
        private final List<String> rows = new ArrayList<>();

        @Override
        public long store(List<String> keys, int value) {
            String row = String.join(":", keys) + "=" + value;
            long enc = encodeRow(row, value);
            rows.add(row);
            if (rows.size() > 5) {
                rows.remove(0);
            }
            return enc + rows.size();
        }

        private long encodeRow(String row, int value) {
            char first = row.charAt(0);
            return Codec.encode(row, value) * 7 + first;
        }
    }

    static final class Codec {
        static long encode(String row, int value) {
            long h = Ck.mix(0, row);
            int depth = row.length() % 3;
            Ck.log("encode " + row + " value=" + value + " h=" + Long.toHexString(h));
            Ck.point("P30 encode " + value);
            Ck.log("encode " + row + " resumed depth=" + depth);
            return (h & 0xFFFF) + value;
        }
    }

    public static void main(String[] args) {
        int w = Ck.work();
        Gateway g = new Gateway();
        long total = 0;
        for (int req = 0; req < 6 * w; req++) {
            long r = g.handle(req);
            total = Ck.mix(total, r);
            Ck.log("request " + req + " -> " + r);
        }
        Ck.done("total=" + Long.toHexString(total) + " processed=" + g.service.processed);
    }
}
