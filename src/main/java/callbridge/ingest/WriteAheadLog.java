package callbridge.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Append-only segment files of framed records ({@code 00000000000000000042.wal}). A record is on disk once
 * {@link #write} returns: the bytes are in the operating system's page cache, which outlives a kill -9 of
 * the JVM (the same guarantee an H2 commit gives; neither forces the disk, so a power cut is out of scope).
 *
 * <p>Frame: body length (int), CRC-32C of the body (int), body. Reading stops at the first frame that is
 * cut short or fails its checksum: the tail of a write the process died in, which nobody was answered for.
 * Not thread-safe: one writer thread appends; segments it has left are read and deleted by others.
 */
final class WriteAheadLog implements AutoCloseable {
    private static final Pattern SEGMENT = Pattern.compile("(\\d{20})\\.wal");
    private static final int FRAME_HEADER = 8;

    private final Path directory;
    private final long segmentBytes;
    private FileChannel channel;
    private volatile long segment;
    private long size;

    WriteAheadLog(Path directory, long segmentBytes) {
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        try {
            Files.createDirectories(directory);
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot create the write-ahead log directory " + directory, failed);
        }
    }

    Path directory() {
        return directory;
    }

    /** The segments on disk, oldest first. */
    List<Long> segments() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> SEGMENT.matcher(file.getFileName().toString()))
                    .filter(Matcher::matches).map(match -> Long.parseLong(match.group(1))).sorted().toList();
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot list " + directory, failed);
        }
    }

    /** Hands each intact record body of a segment to {@code body}, in order; false when a torn tail was left. */
    boolean read(long id, Consumer<ByteBuffer> body) {
        ByteBuffer file;
        try {
            file = ByteBuffer.wrap(Files.readAllBytes(file(id)));
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot read " + file(id), failed);
        }
        CRC32C crc = new CRC32C();
        while (file.remaining() >= FRAME_HEADER) {
            int length = file.getInt(file.position());
            int checksum = file.getInt(file.position() + 4);
            if (length < 0 || length > file.remaining() - FRAME_HEADER) {
                break;
            }
            ByteBuffer record = file.slice(file.position() + FRAME_HEADER, length);
            crc.reset();
            crc.update(record.duplicate());
            if ((int) crc.getValue() != checksum) {
                break;
            }
            body.accept(record);
            file.position(file.position() + FRAME_HEADER + length);
        }
        return !file.hasRemaining();
    }

    /** Frames a record body for {@link #write}. */
    static ByteBuffer frame(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        return ByteBuffer.allocate(FRAME_HEADER + body.length).putInt(body.length).putInt((int) crc.getValue()).put(body).flip();
    }

    /** Starts a new, empty segment after every one on disk; writes go there from now on. */
    void startSegment() {
        List<Long> existing = segments();
        long next = Math.max(segment, existing.isEmpty() ? 0 : existing.get(existing.size() - 1)) + 1;
        closeChannel();
        try {
            channel = FileChannel.open(file(next), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot create " + file(next), failed);
        }
        segment = next;
        size = 0;
    }

    /** Writes the frames in one go (one system call when it can); returns the segment they went to. */
    long write(ByteBuffer[] frames) throws IOException {
        long total = 0;
        for (ByteBuffer frame : frames) {
            total += frame.remaining();
        }
        long left = total;
        while (left > 0) {
            left -= channel.write(frames);
        }
        size += total;
        return segment;
    }

    /** After a write: moves on to a new segment once this one is full, so applied segments can be deleted. */
    void rollWhenFull() {
        if (size >= segmentBytes) {
            startSegment();
        }
    }

    /** The segment writes go to now. */
    long currentSegment() {
        return segment;
    }

    /** Deletes the segments older than {@code id}: everything in them is in the database. */
    void deleteBefore(long id) {
        for (long old : segments()) {
            if (old >= id) {
                return;
            }
            try {
                Files.deleteIfExists(file(old));
            } catch (IOException failed) {
                throw new UncheckedIOException("cannot delete " + file(old), failed);
            }
        }
    }

    private Path file(long id) {
        return directory.resolve(String.format("%020d.wal", id));
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the segment's bytes are written; a failing close loses nothing
            }
            channel = null;
        }
    }

    @Override
    public void close() {
        closeChannel();
    }
}
