package iouring.api.abi;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Reflection helpers shared by the ABI tests. */
final class AbiReflection {

  /** Every production class of the package. */
  static final List<Class<?>> ALL_CLASSES =
      List.of(
          Opcodes.class,
          SqeFlags.class,
          SetupFlags.class,
          EnterFlags.class,
          Features.class,
          RingFlags.class,
          CqeFlags.class,
          OpFlags.class,
          RegisterOpcodes.class,
          MmapOffsets.class,
          Limits.class,
          Errno.class,
          FileFlags.class,
          Statx.class,
          SqeLayout.class,
          CqeLayout.class,
          ParamsLayout.class,
          IovecLayout.class,
          TimespecLayout.class,
          GeteventsArgLayout.class,
          ProbeLayout.class,
          RsrcLayout.class,
          OpenHowLayout.class,
          RestrictionLayout.class,
          BufRingLayout.class);

  /** Not instantiable: this class only holds helpers. */
  private AbiReflection() {}

  /**
   * Returns the public static fields of a class.
   *
   * @param type the class to inspect
   * @return its public static fields
   */
  static List<Field> publicStaticFields(Class<?> type) {
    List<Field> out = new ArrayList<>();
    for (Field f : type.getDeclaredFields()) {
      int m = f.getModifiers();
      if (Modifier.isPublic(m) && Modifier.isStatic(m)) {
        out.add(f);
      }
    }
    return out;
  }

  /**
   * Returns the public static int constants of a class whose names start with a prefix.
   *
   * @param type the class to inspect
   * @param prefix the name prefix, or "" for all
   * @return the constants by name, sorted by name
   */
  static Map<String, Integer> intConstants(Class<?> type, String prefix) {
    Map<String, Integer> out = new TreeMap<>();
    for (Field f : publicStaticFields(type)) {
      if (f.getType() == int.class && f.getName().startsWith(prefix)) {
        try {
          out.put(f.getName(), f.getInt(null));
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
    return out;
  }

  /**
   * Groups the int constants of a class that start with a prefix by their value.
   *
   * @param type the class to inspect
   * @param prefix the name prefix
   * @return the sorted constant names for each value, sorted by value
   */
  static Map<Integer, TreeSet<String>> namesByValue(Class<?> type, String prefix) {
    Map<Integer, TreeSet<String>> out = new TreeMap<>();
    for (Map.Entry<String, Integer> e : intConstants(type, prefix).entrySet()) {
      out.computeIfAbsent(e.getValue(), k -> new TreeSet<>()).add(e.getKey());
    }
    return out;
  }
}
