package iouring.core.vfs;

import iouring.api.spi.VfsProvider;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The providers a kernel knows, by the name mounts use, and the files open on each. Providers come
 * and go (OSGi services do); a mount names its provider rather than holding it, so that it works
 * again when a provider of that name comes back. When a provider goes, every file still open on it
 * is revoked, so that no file description of a departed provider leaks or keeps it busy.
 */
public final class ProviderRegistry {
  private final Map<String, VfsProvider> byName = new ConcurrentHashMap<>();

  /** Files open on each provider; this map's monitor also guards changes to byName. */
  private final Map<VfsProvider, Set<Revocable>> open = new IdentityHashMap<>();

  /** Something opened on a provider that must let go of it when the provider leaves. */
  public interface Revocable {
    /** Lets go of the provider: later operations fail, resources are released. */
    void revoke();
  }

  /**
   * Makes a provider known under a name, replacing any provider of that name (whose open files are
   * revoked).
   *
   * @param name the name
   * @param provider the provider
   */
  public void add(String name, VfsProvider provider) {
    Set<Revocable> revoked = null;
    synchronized (open) {
      VfsProvider previous = byName.put(name, provider);
      if (previous != null && previous != provider && !byName.containsValue(previous)) {
        revoked = open.remove(previous);
      }
    }
    revokeAll(revoked);
  }

  /**
   * Forgets a provider if it is still the one known under its name, and revokes the files open on
   * it.
   *
   * @param name the name
   * @param provider the provider
   */
  public void remove(String name, VfsProvider provider) {
    Set<Revocable> revoked = null;
    synchronized (open) {
      if (byName.remove(name, provider) && !byName.containsValue(provider)) {
        revoked = open.remove(provider);
      }
    }
    revokeAll(revoked);
  }

  /**
   * Returns the provider known under a name.
   *
   * @param name the name
   * @return the provider, or null while there is none
   */
  public VfsProvider get(String name) {
    return byName.get(name);
  }

  /**
   * Returns the names of the known providers.
   *
   * @return a snapshot of the names
   */
  public Set<String> names() {
    return Set.copyOf(byName.keySet());
  }

  /**
   * Records a file opened through a mount that names its provider, so that it is revoked when the
   * provider leaves; a file whose provider left between the lookup and the open is revoked at once,
   * so that no file of a departed provider stays usable.
   *
   * @param provider the provider
   * @param file the file
   */
  public void opened(VfsProvider provider, Revocable file) {
    synchronized (open) {
      if (byName.containsValue(provider)) {
        open.computeIfAbsent(provider, p -> Collections.newSetFromMap(new IdentityHashMap<>()))
            .add(file);
        return;
      }
    }
    file.revoke();
  }

  /**
   * Forgets a file that was closed.
   *
   * @param provider the provider it was open on
   * @param file the file
   */
  public void closed(VfsProvider provider, Revocable file) {
    synchronized (open) {
      Set<Revocable> files = open.get(provider);
      if (files != null && files.remove(file) && files.isEmpty()) {
        open.remove(provider);
      }
    }
  }

  /**
   * Returns the number of files open on a provider.
   *
   * @param provider the provider
   * @return the count
   */
  public int openCount(VfsProvider provider) {
    synchronized (open) {
      Set<Revocable> files = open.get(provider);
      return files == null ? 0 : files.size();
    }
  }

  /** Revokes files outside the lock: closing a provider file may take its time. */
  private static void revokeAll(Set<Revocable> files) {
    if (files != null) {
      files.forEach(Revocable::revoke);
    }
  }
}
