package iouring.core.ring;

/**
 * The limits that keep one process from exhausting the heap, each giving Linux's errno when hit.
 *
 * @param fdLimit the most fds a process may hold ({@code RLIMIT_NOFILE}; {@code EMFILE})
 * @param maxMappings the most buffers a process may map ({@code vm.max_map_count}; {@code ENOMEM})
 * @param backlogLimit the most CQEs a ring's overflow backlog may hold before it drops them
 * @param maxRegisteredBuffers the most buffers a ring may register ({@code EINVAL})
 * @param ringMemoryLimit the most bytes of ring memory (SQ and CQ rings, SQE arrays) the rings of
 *     one process may hold together ({@code ENOMEM} from setup, as Linux when the memory cgroup
 *     refuses the allocation)
 */
public record KernelLimits(
    int fdLimit,
    int maxMappings,
    int backlogLimit,
    int maxRegisteredBuffers,
    long ringMemoryLimit) {

  /**
   * Linux's defaults: 1024 fds, 65530 mappings, 16384 registered buffers; a 1 Mi CQE backlog and
   * 256 MiB of ring memory (about eighty rings of the largest size).
   */
  public static final KernelLimits DEFAULTS =
      new KernelLimits(1024, 65530, 1 << 20, 16384, 256L << 20);

  /**
   * The limits with the default ring memory limit.
   *
   * @param fdLimit as above
   * @param maxMappings as above
   * @param backlogLimit as above
   * @param maxRegisteredBuffers as above
   */
  public KernelLimits(int fdLimit, int maxMappings, int backlogLimit, int maxRegisteredBuffers) {
    this(fdLimit, maxMappings, backlogLimit, maxRegisteredBuffers, 256L << 20);
  }
}
