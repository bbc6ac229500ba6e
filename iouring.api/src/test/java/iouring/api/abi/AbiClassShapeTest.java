package iouring.api.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/** Checks that every ABI class is a non-instantiable holder of final int or long constants. */
class AbiClassShapeTest {

  /**
   * Every class is public and final, with exactly one private no-argument constructor.
   *
   * @throws Exception if the private constructor cannot be invoked
   */
  @Test
  void classesAreFinalWithPrivateConstructor() throws Exception {
    for (Class<?> type : AbiReflection.ALL_CLASSES) {
      int m = type.getModifiers();
      assertTrue(Modifier.isPublic(m), type + " is public");
      assertTrue(Modifier.isFinal(m), type + " is final");
      Constructor<?>[] ctors = type.getDeclaredConstructors();
      assertEquals(1, ctors.length, type + " has one constructor");
      assertTrue(Modifier.isPrivate(ctors[0].getModifiers()), type + " constructor is private");
      assertEquals(0, ctors[0].getParameterCount(), type + " constructor takes no argument");
      ctors[0].setAccessible(true);
      ctors[0].newInstance();
    }
  }

  /** Every public field is a static final int or long, and names are upper case. */
  @Test
  void publicFieldsAreIntOrLongConstants() {
    for (Class<?> type : AbiReflection.ALL_CLASSES) {
      for (Field f : type.getDeclaredFields()) {
        int m = f.getModifiers();
        if (!Modifier.isPublic(m)) {
          continue;
        }
        String where = type.getSimpleName() + "." + f.getName();
        assertTrue(Modifier.isStatic(m) && Modifier.isFinal(m), where + " is static final");
        assertTrue(f.getType() == int.class || f.getType() == long.class, where + " is int/long");
        assertTrue(f.getName().matches("[A-Z][A-Z0-9_]*"), where + " is upper case");
      }
      assertFalse(AbiReflection.publicStaticFields(type).isEmpty(), type + " has constants");
    }
  }
}
