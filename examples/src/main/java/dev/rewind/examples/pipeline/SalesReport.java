package dev.rewind.examples.pipeline;

import dev.rewind.Pipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A four-step pipeline over generated sales data: load → clean → analyse → report. Run it twice:
 * the second run reuses every step's stored result ("[rewind] step 'load': reused ..."). Edit
 * {@link #analyse} and run again: load and clean are reused, analyse and report run.
 *
 * <pre>
 * java -cp rewind-core.jar:examples/target/classes dev.rewind.examples.pipeline.SalesReport [ROWS]
 * rewind steps sales-report
 * rewind rerun sales-report clean
 * </pre>
 */
public final class SalesReport {
    /** One sale; {@code amount} is negative or absurd in some generated rows, which clean drops. */
    record Sale(String region, String product, double amount) {
    }

    /** Totals per region. */
    record Summary(Map<String, Double> totalByRegion, Map<String, Integer> countByRegion, int dropped) {
    }

    private SalesReport() {
    }

    /** @param args the number of rows to generate (default 200000) */
    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        try (Pipeline p = Pipeline.open("sales-report")) {
            List<Sale> raw = p.step("load", () -> load(rows));
            List<Sale> clean = p.step("clean", raw, SalesReport::clean);
            Summary summary = p.step("analyse", raw.size(), clean, SalesReport::analyse);
            String report = p.step("report", summary, SalesReport::report);
            System.out.print(report);
        }
    }

    /** Generates the data; stands for reading a large file or querying a database. */
    static List<Sale> load(int rows) {
        Random random = new Random(42);
        String[] regions = {"north", "south", "east", "west"};
        String[] products = {"tea", "coffee", "cocoa"};
        List<Sale> sales = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            double amount = random.nextInt(50) == 0 ? -1 : Math.round(random.nextDouble() * 10_000) / 100.0;
            sales.add(new Sale(regions[random.nextInt(regions.length)], products[random.nextInt(products.length)], amount));
        }
        return sales;
    }

    static List<Sale> clean(List<Sale> raw) {
        List<Sale> out = new ArrayList<>();
        for (Sale s : raw) {
            if (s.amount() >= 0) {
                out.add(s);
            }
        }
        return out;
    }

    static Summary analyse(int rawCount, List<Sale> clean) {
        Map<String, Double> totals = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (Sale s : clean) {
            totals.merge(s.region(), s.amount(), Double::sum);
            counts.merge(s.region(), 1, Integer::sum);
        }
        return new Summary(totals, counts, rawCount - clean.size());
    }

    static String report(Summary s) {
        StringBuilder b = new StringBuilder("region      sales        total      average\n");
        for (Map.Entry<String, Double> e : s.totalByRegion().entrySet()) {
            int n = s.countByRegion().get(e.getKey());
            b.append(String.format(Locale.ROOT, "%-8s %8d %12.2f %12.2f%n", e.getKey(), n, e.getValue(), e.getValue() / n));
        }
        b.append(s.dropped()).append(" invalid row(s) dropped\n");
        return b.toString();
    }
}
