package callbridge.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The loop of a journal's single writer thread: waits for the first item, takes whatever else queued up
 * meanwhile (up to {@code max}), hands the group over, and goes on until stopped and the queue is empty.
 * Grouping is what lets one disk write answer many requests.
 */
final class GroupingLoop {
    private GroupingLoop() {
    }

    static <T> void run(BlockingQueue<T> queue, int max, BooleanSupplier running, Consumer<List<T>> group) {
        List<T> batch = new ArrayList<>(max);
        while (running.getAsBoolean() || !queue.isEmpty()) {
            try {
                T first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, max - 1);
                group.accept(batch);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }
}
