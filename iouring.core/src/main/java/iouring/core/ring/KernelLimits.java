package iouring.core.ring;

/**
 * The limits that keep one process from exhausting the heap, each giving Linux's errno when hit.
 *
 * @param fdLimit the most fds a process may hold ({@code RLIMIT_NOFILE}; {@code EMFILE})
 * @param maxMappings the most buffers a process may map ({@code vm.max_map_count}; {@code ENOMEM})
 * @param backlogLimit the most CQEs a ring's overflow backlog may hold before it drops them
 * @param maxRegisteredBuffers the most buffers a ring may register ({@code EINVAL})
 */
public record KernelLimits(
    int fdLimit, int maxMappings, int backlogLimit, int maxRegisteredBuffers) {

  /** Linux's defaults: 1024 fds, 65530 mappings, 16384 registered buffers; a 1 Mi CQE backlog. */
  public static final KernelLimits DEFAULTS = new KernelLimits(1024, 65530, 1 << 20, 16384);
}
