package iouring.api;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The user address space of an emulated process. The application maps its own buffers here and
 * receives the addresses that SQE {@code addr} fields and iovecs carry; the emulated kernel reaches
 * application memory only through these mappings, so a wild address gives {@code -EFAULT} instead
 * of touching anything else.
 */
@ProviderType
public interface AddressSpace {

  /**
   * Maps all of a buffer, from index 0 to its capacity, and returns the user address of index 0.
   * The buffer's position and limit are ignored and left unchanged. Heap and direct buffers are
   * accepted; a read-only buffer can be the source of writes but not the target of reads.
   *
   * @param buffer the memory to map
   * @return the user address of the buffer's first byte; never 0
   * @throws ErrnoException {@code ENOMEM} when the address space is full
   */
  long map(ByteBuffer buffer);

  /**
   * Removes the mapping that starts at the given address.
   *
   * @param address an address returned by {@link #map(ByteBuffer)}
   * @throws ErrnoException {@code EINVAL} if no mapping starts there
   */
  void unmap(long address);
}
