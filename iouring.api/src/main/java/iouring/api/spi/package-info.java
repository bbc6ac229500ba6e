/**
 * What a file-system provider implements so that the emulated kernel can mount it: resolve a path
 * to an open file description, then read, write, sync and stat it. Small on purpose, because every
 * abstract method added to a consumer type is a major version; a default method, or a constant
 * added to {@link iouring.api.spi.VfsCapability}, is a minor one once a release exists to baseline
 * against.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package iouring.api.spi;
