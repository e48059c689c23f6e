package io.jqueue.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the jar's version. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {"jqueue " + (v != null ? v : "(development build)")};
  }
}
