package iouring.core.osgi;

import iouring.core.EmulatedProcess;
import iouring.core.Kernel;
import iouring.core.fd.FileDescription;
import iouring.core.fd.OpenFile;
import iouring.core.ring.Ring;
import iouring.core.vfs.MountTable;
import java.util.Map;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo shell commands of the {@code iouring} scope: {@code providers}, {@code mounts}, {@code
 * mount}, {@code umount} and {@code ps}. Each returns text for the shell to print.
 */
@Component(
    service = ShellCommands.class,
    property = {
      "osgi.command.scope=iouring",
      "osgi.command.function=providers",
      "osgi.command.function=mounts",
      "osgi.command.function=mount",
      "osgi.command.function=umount",
      "osgi.command.function=ps"
    })
public final class ShellCommands {
  private final Kernel kernel;

  /**
   * Creates the commands over the kernel component's kernel.
   *
   * @param component the kernel component
   */
  @Activate
  public ShellCommands(@Reference KernelComponent component) {
    this.kernel = component.kernel();
  }

  /**
   * Lists the providers by name, with the number of files open on each.
   *
   * @return one line per provider
   */
  public String providers() {
    return kernel.providers().names().stream()
        .sorted()
        .map(
            name ->
                name
                    + "  "
                    + kernel.providers().get(name).getClass().getSimpleName()
                    + "  open files: "
                    + kernel.providers().openCount(kernel.providers().get(name)))
        .collect(Collectors.joining("\n"));
  }

  /**
   * Lists the mounts every process sees.
   *
   * @return one line per mount
   */
  public String mounts() {
    return describe(kernel.defaultMounts());
  }

  /**
   * Lists the mounts of one process: its own and the defaults it does not hide.
   *
   * @param pid the process id
   * @return one line per mount
   */
  public String mounts(int pid) {
    return process(pid).mounts().list().isEmpty()
        ? "no mounts"
        : describe(process(pid).mounts().list());
  }

  /**
   * Mounts a provider, by name, in every process.
   *
   * @param path the mount point
   * @param provider the provider's name
   * @return a confirmation
   */
  public String mount(String path, String provider) {
    if (!path.startsWith("/")) {
      return "mount point must be absolute: " + path;
    }
    kernel.mountDefault(path, provider);
    return "mounted " + provider + " at " + path + " in every process";
  }

  /**
   * Removes a mount every process sees.
   *
   * @param path the mount point
   * @return a confirmation, or why nothing was done
   */
  public String umount(String path) {
    return kernel.unmountDefault(path) ? "unmounted " + path : "no default mount at " + path;
  }

  /**
   * Lists the processes with their fds: files with their paths, rings with their counters.
   *
   * @return a few lines per process
   */
  public String ps() {
    StringBuilder out = new StringBuilder();
    for (EmulatedProcess p : kernel.processes()) {
      out.append("pid ")
          .append(p.pid())
          .append("  mappings: ")
          .append(p.memory().size())
          .append('\n');
      for (Map.Entry<Integer, FileDescription> fd : p.files().snapshot().entrySet()) {
        out.append("  fd ").append(fd.getKey()).append("  ");
        FileDescription f = fd.getValue();
        if (f instanceof Ring) {
          out.append(((Ring) f).describe());
        } else if (f instanceof OpenFile) {
          out.append("file ")
              .append(((OpenFile) f).path())
              .append(" flags=0")
              .append(Integer.toOctalString(((OpenFile) f).flags()));
        } else {
          out.append(f.getClass().getSimpleName());
        }
        out.append('\n');
      }
    }
    return out.length() == 0 ? "no processes" : out.toString().stripTrailing();
  }

  private EmulatedProcess process(int pid) {
    return kernel.processes().stream()
        .filter(p -> p.pid() == pid)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no process " + pid));
  }

  private static String describe(java.util.List<MountTable.Mount> mounts) {
    return mounts.stream()
        .sorted((a, b) -> a.path().compareTo(b.path()))
        .map(
            m ->
                m.path()
                    + "  "
                    + (m.providerName() != null ? m.providerName() : m.provider().toString())
                    + "  (mount id "
                    + m.id()
                    + ")")
        .collect(Collectors.joining("\n"));
  }
}
