package callbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log file format: what is written is read back in order, a torn or corrupt tail is where reading stops. */
class WriteAheadLogTest {
    @TempDir
    Path directory;

    @Test
    void recordsAreReadBackInOrderFromTheSegmentTheyWereWrittenTo() throws IOException {
        try (var log = new WriteAheadLog(directory, 1 << 20)) {
            log.startSegment();
            long segment = log.write(frames("one", "two"));
            assertThat(log.write(frames("three"))).isEqualTo(segment);

            List<String> read = new ArrayList<>();
            assertThat(log.read(segment, record -> read.add(text(record)))).isTrue();
            assertThat(read).containsExactly("one", "two", "three");
            assertThat(log.segments()).containsExactly(segment);
        }
    }

    @Test
    void aFullSegmentRollsOverAndOldSegmentsCanBeDeleted() throws IOException {
        try (var log = new WriteAheadLog(directory, 10)) {
            log.startSegment();
            long first = log.write(frames("more than ten bytes"));
            log.rollWhenFull();
            long second = log.write(frames("next"));
            assertThat(second).isEqualTo(first + 1);
            assertThat(log.segments()).containsExactly(first, second);

            log.deleteBefore(second);
            assertThat(log.segments()).containsExactly(second);
        }
    }

    @Test
    void aNewLogStartsAfterTheSegmentsAlreadyOnDisk() throws IOException {
        long left;
        try (var log = new WriteAheadLog(directory, 1 << 20)) {
            log.startSegment();
            left = log.write(frames("left by a crash"));
        }
        try (var log = new WriteAheadLog(directory, 1 << 20)) {
            log.startSegment();
            assertThat(log.currentSegment()).isGreaterThan(left);
            assertThat(log.segments()).containsExactly(left, log.currentSegment());
        }
    }

    @Test
    void readingStopsAtAFrameCutShortByACrash() throws IOException {
        try (var log = new WriteAheadLog(directory, 1 << 20)) {
            log.startSegment();
            long segment = log.write(frames("answered", "torn"));
            Path file = onlyFile();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(Files.size(file) - 2);
            }
            List<String> read = new ArrayList<>();
            assertThat(log.read(segment, record -> read.add(text(record)))).isFalse();
            assertThat(read).containsExactly("answered");
        }
    }

    @Test
    void readingStopsAtAFrameWhoseChecksumFails() throws IOException {
        try (var log = new WriteAheadLog(directory, 1 << 20)) {
            log.startSegment();
            long segment = log.write(frames("good", "flipped", "after"));
            Path file = onlyFile();
            byte[] bytes = Files.readAllBytes(file);
            int flipped = indexOf(bytes, "flipped");
            bytes[flipped] ^= 1;
            Files.write(file, bytes);
            List<String> read = new ArrayList<>();
            assertThat(log.read(segment, record -> read.add(text(record)))).isFalse();
            assertThat(read).containsExactly("good");
        }
    }

    private Path onlyFile() throws IOException {
        try (var files = Files.list(directory)) {
            return files.findFirst().orElseThrow();
        }
    }

    private static ByteBuffer[] frames(String... texts) {
        ByteBuffer[] frames = new ByteBuffer[texts.length];
        for (int i = 0; i < texts.length; i++) {
            frames[i] = WriteAheadLog.frame(texts[i].getBytes(StandardCharsets.UTF_8));
        }
        return frames;
    }

    private static String text(ByteBuffer record) {
        byte[] bytes = new byte[record.remaining()];
        record.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] bytes, String text) {
        return new String(bytes, StandardCharsets.ISO_8859_1).indexOf(text);
    }
}
