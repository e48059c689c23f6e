package io.jqueue.rabbitmq;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made with the JDK's {@code keytool} for TLS tests: a test CA, and PKCS#12 key stores
 * of servers whose certificates name a given host.
 */
final class TestCertificates {
  private static final String PASSWORD = "changeit";
  private final Path dir;

  TestCertificates(Path dir) throws Exception {
    this.dir = dir;
    keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=jqueue test CA",
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        file("ca.p12"));
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        file("ca.p12"),
        "-file",
        file("ca.pem"));
  }

  /** A server key store whose certificate is issued by the test CA for {@code san}. */
  Path serverSignedByCa(String name, String san) throws Exception {
    String store = file(name + ".p12");
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + name,
        "-validity",
        "2",
        "-keystore",
        store);
    keytool("-certreq", "-alias", "server", "-keystore", store, "-file", file(name + ".csr"));
    keytool(
        "-gencert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        file("ca.p12"),
        "-validity",
        "2",
        "-ext",
        "san=" + san,
        "-infile",
        file(name + ".csr"),
        "-outfile",
        file(name + ".pem"));
    keytool(
        "-importcert", "-noprompt", "-alias", "ca", "-file", file("ca.pem"), "-keystore", store);
    keytool("-importcert", "-alias", "server", "-file", file(name + ".pem"), "-keystore", store);
    return Path.of(store);
  }

  /** A client context that trusts the test CA only. */
  SSLContext trustingCa() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
      trust.setCertificateEntry(
          "ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  /** A server context presenting the key store's certificate. */
  static SSLContext server(Path keyStore) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }

  private String file(String name) {
    return dir.resolve(name).toString();
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("keytool " + args[0] + " failed: " + output);
      }
    } finally {
      p.destroyForcibly();
    }
  }
}
