package iouring.api.abi;

/**
 * Linux error numbers as they appear, negated, in {@code io_uring_cqe.res} and in the return value
 * of the io_uring system calls.
 *
 * <p>Mirrors {@code include/uapi/asm-generic/errno-base.h} and {@code
 * include/uapi/asm-generic/errno.h}, which x86_64 uses unchanged in Linux 6.18; values 41 and 58
 * are unused there. {@link #message(int)} gives the glibc {@code strerror(3)} text in the C locale.
 */
public final class Errno {

  /** Operation not permitted. */
  public static final int EPERM = 1;

  /**
   * No such file or directory; io_uring also uses it when a cancel or timeout removal finds no
   * match.
   */
  public static final int ENOENT = 2;

  /** No such process. */
  public static final int ESRCH = 3;

  /**
   * Interrupted system call; io_uring also uses it when a signal ends a wait in io_uring_enter(2).
   */
  public static final int EINTR = 4;

  /** Input/output error. */
  public static final int EIO = 5;

  /**
   * No such device or address; io_uring also uses it when unregistering something not registered.
   */
  public static final int ENXIO = 6;

  /** Argument list too long. */
  public static final int E2BIG = 7;

  /** Exec format error. */
  public static final int ENOEXEC = 8;

  /** Bad file descriptor; io_uring also uses it for a bad fd or fixed-file index in an SQE. */
  public static final int EBADF = 9;

  /** No child processes. */
  public static final int ECHILD = 10;

  /** Resource temporarily unavailable; a non-blocking request also uses it when it would block. */
  public static final int EAGAIN = 11;

  /** Operation would block; the same value as EAGAIN. */
  public static final int EWOULDBLOCK = EAGAIN;

  /** Cannot allocate memory. */
  public static final int ENOMEM = 12;

  /** Permission denied. */
  public static final int EACCES = 13;

  /** Bad address; io_uring also uses it when a user pointer cannot be accessed. */
  public static final int EFAULT = 14;

  /** Block device required. */
  public static final int ENOTBLK = 15;

  /**
   * Device or resource busy; io_uring also uses it when registering a table that already exists.
   */
  public static final int EBUSY = 16;

  /** File exists. */
  public static final int EEXIST = 17;

  /** Invalid cross-device link. */
  public static final int EXDEV = 18;

  /** No such device. */
  public static final int ENODEV = 19;

  /** Not a directory. */
  public static final int ENOTDIR = 20;

  /** Is a directory. */
  public static final int EISDIR = 21;

  /** Invalid argument; the most common io_uring result for a malformed SQE or argument. */
  public static final int EINVAL = 22;

  /** Too many open files in system. */
  public static final int ENFILE = 23;

  /** Too many open files. */
  public static final int EMFILE = 24;

  /** Inappropriate ioctl for device. */
  public static final int ENOTTY = 25;

  /** Text file busy. */
  public static final int ETXTBSY = 26;

  /** File too large. */
  public static final int EFBIG = 27;

  /** No space left on device. */
  public static final int ENOSPC = 28;

  /** Illegal seek. */
  public static final int ESPIPE = 29;

  /** Read-only file system. */
  public static final int EROFS = 30;

  /** Too many links. */
  public static final int EMLINK = 31;

  /** Broken pipe. */
  public static final int EPIPE = 32;

  /** Numerical argument out of domain. */
  public static final int EDOM = 33;

  /** Numerical result out of range. */
  public static final int ERANGE = 34;

  /** Resource deadlock avoided. */
  public static final int EDEADLK = 35;

  /** Resource deadlock avoided; the same value as EDEADLK. */
  public static final int EDEADLOCK = EDEADLK;

  /** File name too long. */
  public static final int ENAMETOOLONG = 36;

  /** No locks available. */
  public static final int ENOLCK = 37;

  /** Function not implemented. */
  public static final int ENOSYS = 38;

  /** Directory not empty. */
  public static final int ENOTEMPTY = 39;

  /** Too many levels of symbolic links. */
  public static final int ELOOP = 40;

  /** No message of desired type. */
  public static final int ENOMSG = 42;

  /** Identifier removed. */
  public static final int EIDRM = 43;

  /** Channel number out of range. */
  public static final int ECHRNG = 44;

  /** Level 2 not synchronized. */
  public static final int EL2NSYNC = 45;

  /** Level 3 halted. */
  public static final int EL3HLT = 46;

  /** Level 3 reset. */
  public static final int EL3RST = 47;

  /** Link number out of range. */
  public static final int ELNRNG = 48;

  /** Protocol driver not attached. */
  public static final int EUNATCH = 49;

  /** No CSI structure available. */
  public static final int ENOCSI = 50;

  /** Level 2 halted. */
  public static final int EL2HLT = 51;

  /** Invalid exchange. */
  public static final int EBADE = 52;

  /** Invalid request descriptor. */
  public static final int EBADR = 53;

  /** Exchange full. */
  public static final int EXFULL = 54;

  /** No anode. */
  public static final int ENOANO = 55;

  /** Invalid request code. */
  public static final int EBADRQC = 56;

  /** Invalid slot. */
  public static final int EBADSLT = 57;

  /** Bad font file format. */
  public static final int EBFONT = 59;

  /** Device not a stream. */
  public static final int ENOSTR = 60;

  /** No data available. */
  public static final int ENODATA = 61;

  /** Timer expired; also the result of an io_uring timeout that expires. */
  public static final int ETIME = 62;

  /** Out of streams resources. */
  public static final int ENOSR = 63;

  /** Machine is not on the network. */
  public static final int ENONET = 64;

  /** Package not installed. */
  public static final int ENOPKG = 65;

  /** Object is remote. */
  public static final int EREMOTE = 66;

  /** Link has been severed. */
  public static final int ENOLINK = 67;

  /** Advertise error. */
  public static final int EADV = 68;

  /** Srmount error. */
  public static final int ESRMNT = 69;

  /** Communication error on send. */
  public static final int ECOMM = 70;

  /** Protocol error. */
  public static final int EPROTO = 71;

  /** Multihop attempted. */
  public static final int EMULTIHOP = 72;

  /** RFS specific error. */
  public static final int EDOTDOT = 73;

  /** Bad message. */
  public static final int EBADMSG = 74;

  /** Value too large for defined data type. */
  public static final int EOVERFLOW = 75;

  /** Name not unique on network. */
  public static final int ENOTUNIQ = 76;

  /**
   * File descriptor in bad state; io_uring_enter(2) also uses it on a ring that is still disabled.
   */
  public static final int EBADFD = 77;

  /** Remote address changed. */
  public static final int EREMCHG = 78;

  /** Can not access a needed shared library. */
  public static final int ELIBACC = 79;

  /** Accessing a corrupted shared library. */
  public static final int ELIBBAD = 80;

  /** The .lib section in an a.out file is corrupted. */
  public static final int ELIBSCN = 81;

  /** Attempting to link in too many shared libraries. */
  public static final int ELIBMAX = 82;

  /** Cannot exec a shared library directly. */
  public static final int ELIBEXEC = 83;

  /** Invalid or incomplete multibyte or wide character. */
  public static final int EILSEQ = 84;

  /** Interrupted system call should be restarted. */
  public static final int ERESTART = 85;

  /** Streams pipe error. */
  public static final int ESTRPIPE = 86;

  /** Too many users. */
  public static final int EUSERS = 87;

  /** Socket operation on non-socket. */
  public static final int ENOTSOCK = 88;

  /** Destination address required. */
  public static final int EDESTADDRREQ = 89;

  /** Message too long. */
  public static final int EMSGSIZE = 90;

  /** Protocol wrong type for socket. */
  public static final int EPROTOTYPE = 91;

  /** Protocol not available. */
  public static final int ENOPROTOOPT = 92;

  /** Protocol not supported. */
  public static final int EPROTONOSUPPORT = 93;

  /** Socket type not supported. */
  public static final int ESOCKTNOSUPPORT = 94;

  /** Operation not supported; a read or write also uses it for an unsupported RWF flag. */
  public static final int EOPNOTSUPP = 95;

  /** Operation not supported; the same value as EOPNOTSUPP. */
  public static final int ENOTSUP = EOPNOTSUPP;

  /** Protocol family not supported. */
  public static final int EPFNOSUPPORT = 96;

  /** Address family not supported by protocol. */
  public static final int EAFNOSUPPORT = 97;

  /** Address already in use. */
  public static final int EADDRINUSE = 98;

  /** Cannot assign requested address. */
  public static final int EADDRNOTAVAIL = 99;

  /** Network is down. */
  public static final int ENETDOWN = 100;

  /** Network is unreachable. */
  public static final int ENETUNREACH = 101;

  /** Network dropped connection on reset. */
  public static final int ENETRESET = 102;

  /** Software caused connection abort. */
  public static final int ECONNABORTED = 103;

  /** Connection reset by peer. */
  public static final int ECONNRESET = 104;

  /** No buffer space available. */
  public static final int ENOBUFS = 105;

  /** Transport endpoint is already connected. */
  public static final int EISCONN = 106;

  /** Transport endpoint is not connected. */
  public static final int ENOTCONN = 107;

  /** Cannot send after transport endpoint shutdown. */
  public static final int ESHUTDOWN = 108;

  /** Too many references: cannot splice. */
  public static final int ETOOMANYREFS = 109;

  /** Connection timed out. */
  public static final int ETIMEDOUT = 110;

  /** Connection refused. */
  public static final int ECONNREFUSED = 111;

  /** Host is down. */
  public static final int EHOSTDOWN = 112;

  /** No route to host. */
  public static final int EHOSTUNREACH = 113;

  /**
   * Operation already in progress; a cancel also uses it when the matched request is already
   * running.
   */
  public static final int EALREADY = 114;

  /** Operation now in progress. */
  public static final int EINPROGRESS = 115;

  /** Stale file handle. */
  public static final int ESTALE = 116;

  /** Structure needs cleaning. */
  public static final int EUCLEAN = 117;

  /** Not a XENIX named type file. */
  public static final int ENOTNAM = 118;

  /** No XENIX semaphores available. */
  public static final int ENAVAIL = 119;

  /** Is a named type file. */
  public static final int EISNAM = 120;

  /** Remote I/O error. */
  public static final int EREMOTEIO = 121;

  /** Disk quota exceeded. */
  public static final int EDQUOT = 122;

  /** No medium found. */
  public static final int ENOMEDIUM = 123;

  /** Wrong medium type. */
  public static final int EMEDIUMTYPE = 124;

  /**
   * Operation canceled; also the result of a request that was canceled or cut off its link chain.
   */
  public static final int ECANCELED = 125;

  /** Required key not available. */
  public static final int ENOKEY = 126;

  /** Key has expired. */
  public static final int EKEYEXPIRED = 127;

  /** Key has been revoked. */
  public static final int EKEYREVOKED = 128;

  /** Key was rejected by service. */
  public static final int EKEYREJECTED = 129;

  /** Owner died. */
  public static final int EOWNERDEAD = 130;

  /** State not recoverable. */
  public static final int ENOTRECOVERABLE = 131;

  /** Operation not possible due to RF-kill. */
  public static final int ERFKILL = 132;

  /** Memory page has hardware error. */
  public static final int EHWPOISON = 133;

  /** Largest errno value that has a name. */
  private static final int MAX = EHWPOISON;

  /** Kernel names indexed by errno; aliases map to their canonical name. */
  private static final String[] NAMES = new String[MAX + 1];

  /** glibc strerror(3) texts indexed by errno. */
  private static final String[] MESSAGES = new String[MAX + 1];

  static {
    def(EPERM, "EPERM", "Operation not permitted");
    def(ENOENT, "ENOENT", "No such file or directory");
    def(ESRCH, "ESRCH", "No such process");
    def(EINTR, "EINTR", "Interrupted system call");
    def(EIO, "EIO", "Input/output error");
    def(ENXIO, "ENXIO", "No such device or address");
    def(E2BIG, "E2BIG", "Argument list too long");
    def(ENOEXEC, "ENOEXEC", "Exec format error");
    def(EBADF, "EBADF", "Bad file descriptor");
    def(ECHILD, "ECHILD", "No child processes");
    def(EAGAIN, "EAGAIN", "Resource temporarily unavailable");
    def(ENOMEM, "ENOMEM", "Cannot allocate memory");
    def(EACCES, "EACCES", "Permission denied");
    def(EFAULT, "EFAULT", "Bad address");
    def(ENOTBLK, "ENOTBLK", "Block device required");
    def(EBUSY, "EBUSY", "Device or resource busy");
    def(EEXIST, "EEXIST", "File exists");
    def(EXDEV, "EXDEV", "Invalid cross-device link");
    def(ENODEV, "ENODEV", "No such device");
    def(ENOTDIR, "ENOTDIR", "Not a directory");
    def(EISDIR, "EISDIR", "Is a directory");
    def(EINVAL, "EINVAL", "Invalid argument");
    def(ENFILE, "ENFILE", "Too many open files in system");
    def(EMFILE, "EMFILE", "Too many open files");
    def(ENOTTY, "ENOTTY", "Inappropriate ioctl for device");
    def(ETXTBSY, "ETXTBSY", "Text file busy");
    def(EFBIG, "EFBIG", "File too large");
    def(ENOSPC, "ENOSPC", "No space left on device");
    def(ESPIPE, "ESPIPE", "Illegal seek");
    def(EROFS, "EROFS", "Read-only file system");
    def(EMLINK, "EMLINK", "Too many links");
    def(EPIPE, "EPIPE", "Broken pipe");
    def(EDOM, "EDOM", "Numerical argument out of domain");
    def(ERANGE, "ERANGE", "Numerical result out of range");
    def(EDEADLK, "EDEADLK", "Resource deadlock avoided");
    def(ENAMETOOLONG, "ENAMETOOLONG", "File name too long");
    def(ENOLCK, "ENOLCK", "No locks available");
    def(ENOSYS, "ENOSYS", "Function not implemented");
    def(ENOTEMPTY, "ENOTEMPTY", "Directory not empty");
    def(ELOOP, "ELOOP", "Too many levels of symbolic links");
    def(ENOMSG, "ENOMSG", "No message of desired type");
    def(EIDRM, "EIDRM", "Identifier removed");
    def(ECHRNG, "ECHRNG", "Channel number out of range");
    def(EL2NSYNC, "EL2NSYNC", "Level 2 not synchronized");
    def(EL3HLT, "EL3HLT", "Level 3 halted");
    def(EL3RST, "EL3RST", "Level 3 reset");
    def(ELNRNG, "ELNRNG", "Link number out of range");
    def(EUNATCH, "EUNATCH", "Protocol driver not attached");
    def(ENOCSI, "ENOCSI", "No CSI structure available");
    def(EL2HLT, "EL2HLT", "Level 2 halted");
    def(EBADE, "EBADE", "Invalid exchange");
    def(EBADR, "EBADR", "Invalid request descriptor");
    def(EXFULL, "EXFULL", "Exchange full");
    def(ENOANO, "ENOANO", "No anode");
    def(EBADRQC, "EBADRQC", "Invalid request code");
    def(EBADSLT, "EBADSLT", "Invalid slot");
    def(EBFONT, "EBFONT", "Bad font file format");
    def(ENOSTR, "ENOSTR", "Device not a stream");
    def(ENODATA, "ENODATA", "No data available");
    def(ETIME, "ETIME", "Timer expired");
    def(ENOSR, "ENOSR", "Out of streams resources");
    def(ENONET, "ENONET", "Machine is not on the network");
    def(ENOPKG, "ENOPKG", "Package not installed");
    def(EREMOTE, "EREMOTE", "Object is remote");
    def(ENOLINK, "ENOLINK", "Link has been severed");
    def(EADV, "EADV", "Advertise error");
    def(ESRMNT, "ESRMNT", "Srmount error");
    def(ECOMM, "ECOMM", "Communication error on send");
    def(EPROTO, "EPROTO", "Protocol error");
    def(EMULTIHOP, "EMULTIHOP", "Multihop attempted");
    def(EDOTDOT, "EDOTDOT", "RFS specific error");
    def(EBADMSG, "EBADMSG", "Bad message");
    def(EOVERFLOW, "EOVERFLOW", "Value too large for defined data type");
    def(ENOTUNIQ, "ENOTUNIQ", "Name not unique on network");
    def(EBADFD, "EBADFD", "File descriptor in bad state");
    def(EREMCHG, "EREMCHG", "Remote address changed");
    def(ELIBACC, "ELIBACC", "Can not access a needed shared library");
    def(ELIBBAD, "ELIBBAD", "Accessing a corrupted shared library");
    def(ELIBSCN, "ELIBSCN", ".lib section in a.out corrupted");
    def(ELIBMAX, "ELIBMAX", "Attempting to link in too many shared libraries");
    def(ELIBEXEC, "ELIBEXEC", "Cannot exec a shared library directly");
    def(EILSEQ, "EILSEQ", "Invalid or incomplete multibyte or wide character");
    def(ERESTART, "ERESTART", "Interrupted system call should be restarted");
    def(ESTRPIPE, "ESTRPIPE", "Streams pipe error");
    def(EUSERS, "EUSERS", "Too many users");
    def(ENOTSOCK, "ENOTSOCK", "Socket operation on non-socket");
    def(EDESTADDRREQ, "EDESTADDRREQ", "Destination address required");
    def(EMSGSIZE, "EMSGSIZE", "Message too long");
    def(EPROTOTYPE, "EPROTOTYPE", "Protocol wrong type for socket");
    def(ENOPROTOOPT, "ENOPROTOOPT", "Protocol not available");
    def(EPROTONOSUPPORT, "EPROTONOSUPPORT", "Protocol not supported");
    def(ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT", "Socket type not supported");
    def(EOPNOTSUPP, "EOPNOTSUPP", "Operation not supported");
    def(EPFNOSUPPORT, "EPFNOSUPPORT", "Protocol family not supported");
    def(EAFNOSUPPORT, "EAFNOSUPPORT", "Address family not supported by protocol");
    def(EADDRINUSE, "EADDRINUSE", "Address already in use");
    def(EADDRNOTAVAIL, "EADDRNOTAVAIL", "Cannot assign requested address");
    def(ENETDOWN, "ENETDOWN", "Network is down");
    def(ENETUNREACH, "ENETUNREACH", "Network is unreachable");
    def(ENETRESET, "ENETRESET", "Network dropped connection on reset");
    def(ECONNABORTED, "ECONNABORTED", "Software caused connection abort");
    def(ECONNRESET, "ECONNRESET", "Connection reset by peer");
    def(ENOBUFS, "ENOBUFS", "No buffer space available");
    def(EISCONN, "EISCONN", "Transport endpoint is already connected");
    def(ENOTCONN, "ENOTCONN", "Transport endpoint is not connected");
    def(ESHUTDOWN, "ESHUTDOWN", "Cannot send after transport endpoint shutdown");
    def(ETOOMANYREFS, "ETOOMANYREFS", "Too many references: cannot splice");
    def(ETIMEDOUT, "ETIMEDOUT", "Connection timed out");
    def(ECONNREFUSED, "ECONNREFUSED", "Connection refused");
    def(EHOSTDOWN, "EHOSTDOWN", "Host is down");
    def(EHOSTUNREACH, "EHOSTUNREACH", "No route to host");
    def(EALREADY, "EALREADY", "Operation already in progress");
    def(EINPROGRESS, "EINPROGRESS", "Operation now in progress");
    def(ESTALE, "ESTALE", "Stale file handle");
    def(EUCLEAN, "EUCLEAN", "Structure needs cleaning");
    def(ENOTNAM, "ENOTNAM", "Not a XENIX named type file");
    def(ENAVAIL, "ENAVAIL", "No XENIX semaphores available");
    def(EISNAM, "EISNAM", "Is a named type file");
    def(EREMOTEIO, "EREMOTEIO", "Remote I/O error");
    def(EDQUOT, "EDQUOT", "Disk quota exceeded");
    def(ENOMEDIUM, "ENOMEDIUM", "No medium found");
    def(EMEDIUMTYPE, "EMEDIUMTYPE", "Wrong medium type");
    def(ECANCELED, "ECANCELED", "Operation canceled");
    def(ENOKEY, "ENOKEY", "Required key not available");
    def(EKEYEXPIRED, "EKEYEXPIRED", "Key has expired");
    def(EKEYREVOKED, "EKEYREVOKED", "Key has been revoked");
    def(EKEYREJECTED, "EKEYREJECTED", "Key was rejected by service");
    def(EOWNERDEAD, "EOWNERDEAD", "Owner died");
    def(ENOTRECOVERABLE, "ENOTRECOVERABLE", "State not recoverable");
    def(ERFKILL, "ERFKILL", "Operation not possible due to RF-kill");
    def(EHWPOISON, "EHWPOISON", "Memory page has hardware error");
  }

  /** Not instantiable: this class only holds constants. */
  private Errno() {}

  /**
   * Records the name and message of one errno value.
   *
   * @param errno the positive errno value
   * @param name the kernel name
   * @param message the glibc strerror(3) text
   */
  private static void def(int errno, String name, String message) {
    NAMES[errno] = name;
    MESSAGES[errno] = message;
  }

  /**
   * Returns the index into the tables for an errno of either sign, or -1 if it has no entry.
   *
   * @param errno a positive errno or a negated one as found in a CQE
   * @return the positive errno, or -1 when it is unknown
   */
  private static int index(int errno) {
    int e = errno < 0 ? -errno : errno;
    if (e > 0 && e <= MAX && NAMES[e] != null) {
      return e;
    }
    return -1;
  }

  /**
   * Returns the kernel name of an errno value.
   *
   * <p>Aliases resolve to the canonical name: 11 is {@code "EAGAIN"}, not {@code "EWOULDBLOCK"}.
   *
   * @param errno a positive errno, or a negated one as found in {@code io_uring_cqe.res}
   * @return the name, such as {@code "EINVAL"} for 22 or -22, or {@code "E?(999)"} for an unknown
   *     value, which is shown as given
   */
  public static String name(int errno) {
    int e = index(errno);
    if (e < 0) {
      return "E?(" + errno + ")";
    }
    return NAMES[e];
  }

  /**
   * Returns the glibc {@code strerror(3)} text of an errno value.
   *
   * <p>Like glibc, it returns {@code "Success"} for 0.
   *
   * @param errno a positive errno, or a negated one as found in {@code io_uring_cqe.res}
   * @return the text, such as {@code "Invalid argument"} for 22 or -22, or {@code "Unknown error
   *     999"} for an unknown value, which is shown as given
   */
  public static String message(int errno) {
    if (errno == 0) {
      return "Success";
    }
    int e = index(errno);
    if (e < 0) {
      return "Unknown error " + errno;
    }
    return MESSAGES[e];
  }
}
