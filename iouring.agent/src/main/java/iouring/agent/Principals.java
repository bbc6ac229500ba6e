package iouring.agent;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.nio.file.ProviderMismatchException;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.Set;

/**
 * The numeric id behind a principal that a mounted file's owner or group is set to: the agent's own
 * {@link RingAttributes.User} and {@link RingAttributes.Group}, or the JDK's {@code
 * UnixUserPrincipals} principals that the default file system's lookup service returns. The JDK's
 * keep their id in a private field of {@code sun.nio.fs}, which the agent opens to itself through
 * the instrumentation; without it, they are a {@link ProviderMismatchException}, as any foreign
 * principal is for the JDK.
 */
final class Principals {
  private static final String USER = "sun.nio.fs.UnixUserPrincipals$User";
  private static final String GROUP = "sun.nio.fs.UnixUserPrincipals$Group";

  private static volatile Field id;
  private static volatile Class<?> jdkUser;
  private static volatile Class<?> jdkGroup;

  private Principals() {}

  /** Opens {@code sun.nio.fs} to the agent so that the JDK's principals can be read. */
  static void install(Instrumentation instrumentation) {
    try {
      Class<?> user = Class.forName(USER, false, null);
      instrumentation.redefineModule(
          user.getModule(),
          Set.of(),
          Map.of(),
          Map.of("sun.nio.fs", Set.of(Principals.class.getModule())),
          Set.of(),
          Map.of());
      Field field = user.getDeclaredField("id");
      field.setAccessible(true);
      jdkGroup = Class.forName(GROUP, false, null);
      jdkUser = user;
      id = field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      System.err.println(
          "iouring agent: the JDK's user principals cannot own mounted files here: " + e);
    }
  }

  /**
   * Returns the uid of an owner, checked as {@code UnixFileAttributeViews.Posix.setOwner} checks
   * it.
   */
  static int uid(UserPrincipal owner) throws IOException {
    if (owner == null) {
      throw new NullPointerException("'owner' is null");
    } else if (owner instanceof RingAttributes.User user) {
      return user.uid();
    } else if (owner instanceof RingAttributes.Group) {
      throw new IOException("'owner' parameter can't be a group");
    } else if (!isJdk(owner, jdkUser)) {
      throw new ProviderMismatchException();
    } else if (jdkGroup.isInstance(owner)) {
      throw new IOException("'owner' parameter can't be a group");
    }
    return jdkId(owner);
  }

  /** Returns the gid of a group, checked as {@code UnixFileAttributeViews.Posix.setGroup}. */
  static int gid(GroupPrincipal group) throws IOException {
    if (group == null) {
      throw new NullPointerException("'owner' is null"); // sic, as the JDK
    } else if (group instanceof RingAttributes.Group g) {
      return g.gid();
    } else if (!isJdk(group, jdkGroup)) {
      throw new ProviderMismatchException();
    }
    return jdkId(group);
  }

  private static boolean isJdk(Object principal, Class<?> type) {
    return id != null && type.isInstance(principal);
  }

  private static int jdkId(Object principal) {
    try {
      return id.getInt(principal);
    } catch (IllegalAccessException e) {
      throw new ProviderMismatchException(e.toString());
    }
  }
}
