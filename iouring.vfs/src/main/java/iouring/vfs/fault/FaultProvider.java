package iouring.vfs.fault;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsCapability;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsProvider;
import iouring.api.spi.VfsSpace;
import iouring.api.spi.VfsStat;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Wraps another provider and fails or delays chosen operations, to test how programs cope with
 * {@code EIO}, {@code ENOSPC}, slow disks and the like. Files opened through it are wrapped too, so
 * their reads, writes and syncs follow the same rules. Without rules it changes nothing.
 *
 * <h2>Rule syntax</h2>
 *
 * A rule is comma-separated {@code key=value} pairs, for example {@code
 * op=read,path=/data/*,nth=3,errno=EIO} or {@code op=write,delay=50ms}:
 *
 * <ul>
 *   <li>{@code op} (required): the operation, several joined by {@code |}, or {@code *} for all:
 *       {@code open}, {@code read}, {@code write}, {@code sync}, {@code size}, {@code stat} (of a
 *       path or an open file), {@code truncate}, {@code allocate}, {@code mkdir}, {@code unlink},
 *       {@code rmdir}, {@code rename}, {@code list}, {@code symlink}, {@code readlink}, {@code
 *       link}, {@code getxattr}, {@code setxattr}, {@code listxattr}, {@code removexattr}.
 *   <li>{@code path}: a glob over the path from the provider's root, starting with {@code /}:
 *       {@code *} matches within one name, {@code **} across names, {@code ?} one character. The
 *       path is the one the call gives, normalized lexically ({@code .}, {@code ..}, repeated
 *       slashes), not the file a symlink leads to; for an open file, the path it was opened by; for
 *       {@code rename} and {@code link}, either path. Without it every path matches.
 *   <li>{@code nth}: {@code 3} fails only the third matching call, {@code 3+} the third and every
 *       later one; without it every matching call. Each rule counts its own matching calls.
 *   <li>{@code every}: {@code 3} fails the third, sixth, ninth... matching call; not with {@code
 *       nth}.
 *   <li>{@code errno}: the error, by name ({@code EIO}, {@code ENOSPC}, aliases such as {@code
 *       EWOULDBLOCK} too) or number; {@code EIO} by default.
 *   <li>{@code delay}: a wait before the call goes on, or fails if {@code errno} is given too: a
 *       whole number with {@code ns}, {@code us}, {@code ms} or {@code s}. A rule with a delay and
 *       no errno only slows calls down.
 * </ul>
 *
 * Keys are case-insensitive; a malformed rule is an {@link IllegalArgumentException} that names the
 * rule and its problem. Every rule that matches a call counts it; their delays add up, and the
 * first of them, in order, with an errno fails the call before it reaches the wrapped provider,
 * which therefore never sees it. A delay interrupted by {@link Thread#interrupt} fails with {@code
 * EINTR}.
 *
 * <p>Not final only so that the OSGi component can be one; it overrides nothing.
 */
public class FaultProvider implements VfsProvider {
  private final VfsProvider target;
  private final List<FaultRule> rules;

  /**
   * Wraps a provider.
   *
   * @param target the provider whose operations the rules fail or delay
   * @param rules the rules, checked in order
   */
  public FaultProvider(VfsProvider target, List<FaultRule> rules) {
    this.target = target;
    this.rules = List.copyOf(rules);
  }

  /**
   * Returns the rules, in order.
   *
   * @return the rules
   */
  public List<FaultRule> rules() {
    return rules;
  }

  /** Applies the rules to one call: waits their delays, then fails with the first errno. */
  void inject(FaultOp op, String... paths) throws VfsException {
    if (rules.isEmpty()) {
      return;
    }
    String[] normalized = new String[paths.length];
    for (int i = 0; i < paths.length; i++) {
      normalized[i] = normalize(paths[i]);
    }
    long delay = 0;
    FaultRule failing = null;
    for (FaultRule rule : rules) {
      if (rule.fires(op, normalized)) {
        delay += rule.delayNanos();
        if (failing == null && rule.errno() != 0) {
          failing = rule;
        }
      }
    }
    if (delay > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new VfsException(Errno.EINTR, "interrupted in a fault delay");
      }
    }
    if (failing != null) {
      throw new VfsException(failing.errno(), "injected by fault rule '" + failing + "'");
    }
  }

  /** Normalizes a provider path lexically, to {@code /} and names without dots. */
  static String normalize(String path) {
    Deque<String> names = new ArrayDeque<>();
    for (String name : path.split("/")) {
      if (name.equals("..")) {
        names.pollLast();
      } else if (!name.isEmpty() && !name.equals(".")) {
        names.addLast(name);
      }
    }
    return "/" + String.join("/", names);
  }

  @Override
  public Set<VfsCapability> capabilities() {
    return target.capabilities();
  }

  @Override
  public VfsFile open(String path, int flags, int mode) throws VfsException {
    inject(FaultOp.OPEN, path);
    return new FaultFile(this, target.open(path, flags, mode), path);
  }

  @Override
  public VfsStat stat(String path, boolean followLinks) throws VfsException {
    inject(FaultOp.STAT, path);
    return target.stat(path, followLinks);
  }

  @Override
  public void mkdir(String path, int mode) throws VfsException {
    inject(FaultOp.MKDIR, path);
    target.mkdir(path, mode);
  }

  @Override
  public void unlink(String path) throws VfsException {
    inject(FaultOp.UNLINK, path);
    target.unlink(path);
  }

  @Override
  public void rmdir(String path) throws VfsException {
    inject(FaultOp.RMDIR, path);
    target.rmdir(path);
  }

  @Override
  public void rename(String from, String to, int flags) throws VfsException {
    inject(FaultOp.RENAME, from, to);
    target.rename(from, to, flags);
  }

  @Override
  public List<String> list(String path) throws VfsException {
    inject(FaultOp.LIST, path);
    return target.list(path);
  }

  @Override
  public void symlink(String linkTarget, String linkPath) throws VfsException {
    inject(FaultOp.SYMLINK, linkPath);
    target.symlink(linkTarget, linkPath);
  }

  @Override
  public String readlink(String path) throws VfsException {
    inject(FaultOp.READLINK, path);
    return target.readlink(path);
  }

  @Override
  public void link(String existing, String newPath) throws VfsException {
    inject(FaultOp.LINK, existing, newPath);
    target.link(existing, newPath);
  }

  @Override
  public byte[] getxattr(String path, String name, boolean followLinks) throws VfsException {
    inject(FaultOp.GETXATTR, path);
    return target.getxattr(path, name, followLinks);
  }

  @Override
  public void setxattr(String path, String name, byte[] value, int flags, boolean followLinks)
      throws VfsException {
    inject(FaultOp.SETXATTR, path);
    target.setxattr(path, name, value, flags, followLinks);
  }

  @Override
  public java.util.List<String> listxattr(String path, boolean followLinks) throws VfsException {
    inject(FaultOp.LISTXATTR, path);
    return target.listxattr(path, followLinks);
  }

  @Override
  public void removexattr(String path, String name, boolean followLinks) throws VfsException {
    inject(FaultOp.REMOVEXATTR, path);
    target.removexattr(path, name, followLinks);
  }

  @Override
  public VfsSpace space() throws VfsException {
    inject(FaultOp.SPACE, "");
    return target.space();
  }

  @Override
  public void chmod(String path, int mode, boolean followLinks) throws VfsException {
    inject(FaultOp.CHMOD, path);
    target.chmod(path, mode, followLinks);
  }

  @Override
  public void chown(String path, int uid, int gid, boolean followLinks) throws VfsException {
    inject(FaultOp.CHOWN, path);
    target.chown(path, uid, gid, followLinks);
  }

  @Override
  public void utimens(String path, long atimeNanos, long mtimeNanos, boolean followLinks)
      throws VfsException {
    inject(FaultOp.UTIMENS, path);
    target.utimens(path, atimeNanos, mtimeNanos, followLinks);
  }
}
