package iouring.agent.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The agent's own class loader. It defines the agent's implementation classes ({@code
 * iouring.agent.*} and the shaded Byte Buddy) from {@value #PREFIX} in the agent jar, where the
 * system class loader, which has the jar on its class path, sees them only as resources. Its own
 * classes and resources come first (child-first); every other name, the JDK's and the iouring
 * API's, kernel's and providers' that the agent finds on the application class path, goes to the
 * parent, the system class loader. The bootstrap bridge ({@code iouring.agent.bootstrap.*}) comes
 * only from the boot loader, where the agent injects it: a second copy defined from the class path
 * would be a different class from the one the JDK's inlined code calls.
 */
final class AgentClassLoader extends ClassLoader {
  /** Where the agent jar keeps the implementation classes and their resources. */
  static final String PREFIX = "META-INF/iouring-agent/classes/";

  private static final String BOOTSTRAP = "iouring.agent.bootstrap.";

  static {
    registerAsParallelCapable();
  }

  private final JarFile jar;
  private final String base;
  private final ProtectionDomain domain;

  /**
   * Opens the agent jar, which stays open for the life of the loader (that of the JVM).
   *
   * @param agentJar the agent jar
   * @param parent the loader of everything that is not the agent's own
   * @throws IOException if the jar cannot be opened
   */
  AgentClassLoader(Path agentJar, ClassLoader parent) throws IOException {
    super("iouring-agent", parent);
    this.jar = new JarFile(agentJar.toFile(), false);
    URL location = agentJar.toUri().toURL();
    this.base = "jar:" + location + "!/" + PREFIX;
    this.domain =
        new ProtectionDomain(new CodeSource(location, (CodeSigner[]) null), null, this, null);
  }

  /** True if the jar holds the implementation class of this name under {@link #PREFIX}. */
  boolean holds(String className) {
    return jar.getJarEntry(PREFIX + className.replace('.', '/') + ".class") != null;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    synchronized (getClassLoadingLock(name)) {
      Class<?> type = findLoadedClass(name);
      if (type == null) {
        if (name.startsWith(BOOTSTRAP)) {
          type = Class.forName(name, false, null);
        } else {
          JarEntry entry = jar.getJarEntry(PREFIX + name.replace('.', '/') + ".class");
          if (entry == null) {
            return super.loadClass(name, resolve);
          }
          type = define(name, entry);
        }
      }
      if (resolve) {
        resolveClass(type);
      }
      return type;
    }
  }

  private Class<?> define(String name, JarEntry entry) throws ClassNotFoundException {
    byte[] bytes;
    try (InputStream in = jar.getInputStream(entry)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new ClassNotFoundException(name + ": cannot read " + entry.getName(), e);
    }
    return defineClass(name, bytes, 0, bytes.length, domain);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    // loadClass has looked under PREFIX already; the parent had the rest.
    throw new ClassNotFoundException(name);
  }

  @Override
  public URL getResource(String name) {
    URL own = findResource(name);
    return own != null ? own : getParent().getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    List<URL> all = new ArrayList<>();
    URL own = findResource(name);
    if (own != null) {
      all.add(own);
    }
    all.addAll(Collections.list(getParent().getResources(name)));
    return Collections.enumeration(all);
  }

  @Override
  public InputStream getResourceAsStream(String name) {
    JarEntry entry = jar.getJarEntry(PREFIX + name);
    if (entry == null) {
      return getParent().getResourceAsStream(name);
    }
    try {
      return jar.getInputStream(entry);
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  protected URL findResource(String name) {
    if (jar.getJarEntry(PREFIX + name) == null) {
      return null;
    }
    try {
      String path = new URI(null, null, name, null).getRawPath();
      return URI.create(base + path).toURL();
    } catch (URISyntaxException | MalformedURLException e) {
      return null;
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL own = findResource(name);
    return own == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(own));
  }
}
