package iouring.core.osgi;

import iouring.api.IoUringKernel;
import iouring.api.IoUringProcess;
import iouring.core.ForwardingProcess;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * Publishes one emulated process per client bundle: the service is bundle-scoped, so each bundle
 * that gets it has its own fds and memory, and the process ends when the bundle lets it go.
 */
@Component(service = IoUringProcess.class, scope = ServiceScope.BUNDLE)
public final class ProcessComponent extends ForwardingProcess {
  /**
   * Creates the client bundle's process.
   *
   * @param kernel the kernel that creates it
   */
  @Activate
  public ProcessComponent(@Reference IoUringKernel kernel) {
    super(kernel.newProcess());
  }

  @Deactivate
  void deactivate() {
    delegate().close();
  }
}
