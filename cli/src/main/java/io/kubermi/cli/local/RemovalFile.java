package io.kubermi.cli.local;

import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalSchedule;
import io.kubermi.api.validation.SpecValidator;
import io.kubermi.operator.schedule.ScheduleDecision;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * The removals and schedules of a (multi-document) YAML file, refused whole if any is invalid, read
 * from a bounded regular file.
 */
public final class RemovalFile {
  public static final class InvalidInput extends Exception {
    InvalidInput(String message) {
      super(message);
    }
  }

  private RemovalFile() {}

  /**
   * The file's text: a regular file (a device such as /dev/zero, a FIFO or a folder is refused
   * before it is opened) of at most {@link #MAX_BYTES}, read no further than that even if it grows.
   */
  static String text(Path file) throws InvalidInput {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      if (!a.isRegularFile()) throw new InvalidInput(file + ": not a regular file");
      if (a.size() > MAX_BYTES) throw new InvalidInput(tooBig(file));
      try (InputStream in = Files.newInputStream(file)) {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) throw new InvalidInput(tooBig(file));
        return new String(bytes, StandardCharsets.UTF_8);
      }
    } catch (NoSuchFileException e) {
      throw new InvalidInput(file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new InvalidInput(file + ": permission denied");
    } catch (IOException e) {
      throw new InvalidInput(file + ": cannot read: " + e.getMessage());
    }
  }

  private static String tooBig(Path file) {
    return file + ": bigger than " + MAX_BYTES + " bytes, the most a removal file may be";
  }

  /** The largest file read: removals of hundreds of images fit in a fraction of it. */
  public static final int MAX_BYTES = 1024 * 1024;

  public static List<ImageRemoval> read(Path file) throws InvalidInput {
    return KindDocuments.read(
        file, "ImageRemoval", ImageRemoval.class, r -> SpecValidator.validate(r.getSpec()));
  }

  /** Every ImageRemovalSchedule of the file, checked as the operator checks one. */
  public static List<ImageRemovalSchedule> readSchedules(Path file) throws InvalidInput {
    return KindDocuments.read(
        file,
        "ImageRemovalSchedule",
        ImageRemovalSchedule.class,
        s ->
            s.getSpec() == null
                ? List.of("spec: required")
                : ScheduleDecision.problems(s.getSpec()));
  }
}
