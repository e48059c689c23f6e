package io.jqueue.internal;

import io.jqueue.ValidationException;
import java.util.List;

/**
 * An action pattern as AMQP topic exchanges match routing keys: words separated by {@code .}, where
 * {@code *} stands for exactly one word and {@code #} for zero or more. {@code user.*} matches
 * {@code user.created} but not {@code user} or {@code user.created.v2}; {@code user.#} matches all
 * three; {@code #} matches everything, also a message without an action (empty routing key).
 */
public final class ActionPattern {
  private final String pattern;
  private final String[] words;

  private ActionPattern(String pattern) {
    this.pattern = pattern;
    this.words = pattern.split("\\.", -1);
  }

  /**
   * Parses {@code pattern}.
   *
   * @throws ValidationException when it is empty, over 255 characters, has an empty word, or a word
   *     that mixes {@code *}/{@code #} with other characters
   */
  public static ActionPattern of(String pattern) {
    if (pattern == null || pattern.isEmpty() || pattern.length() > 255) {
      throw new ValidationException("an action pattern must be 1-255 characters, got " + pattern);
    }
    for (String w : pattern.split("\\.", -1)) {
      if (w.isEmpty()) {
        throw new ValidationException(
            "action pattern '" + pattern + "' has an empty word; words are separated by one '.'");
      }
      if ((w.contains("*") || w.contains("#")) && w.length() > 1) {
        throw new ValidationException(
            "action pattern '"
                + pattern
                + "': '*' and '#' must stand alone as a word, got '"
                + w
                + "'");
      }
    }
    return new ActionPattern(pattern);
  }

  /** Whether any of {@code patterns} matches {@code action}. */
  public static boolean anyMatches(List<ActionPattern> patterns, String action) {
    for (ActionPattern p : patterns) {
      if (p.matches(action)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code action} (null: no action, matched as the empty routing key) matches; linear in
   * pattern words times action words, whatever the pattern.
   */
  public boolean matches(String action) {
    String[] key = action == null || action.isEmpty() ? new String[0] : action.split("\\.", -1);
    // can[k]: the pattern words so far match the first k words of the key
    boolean[] can = new boolean[key.length + 1];
    can[0] = true;
    for (String w : words) {
      boolean[] next = new boolean[key.length + 1];
      if (w.equals("#")) {
        boolean reached = false;
        for (int k = 0; k <= key.length; k++) {
          reached |= can[k];
          next[k] = reached;
        }
      } else {
        for (int k = 0; k < key.length; k++) {
          next[k + 1] = can[k] && (w.equals("*") || w.equals(key[k]));
        }
      }
      can = next;
    }
    return can[key.length];
  }

  @Override
  public String toString() {
    return pattern;
  }
}
