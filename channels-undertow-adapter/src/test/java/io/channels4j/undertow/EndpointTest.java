package io.channels4j.undertow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EndpointTest {

  @Test
  void twistedStringsAsDaphneWritesThem() {
    assertThat(Endpoint.parse("tcp:port=8001:interface=0.0.0.0")).isEqualTo(new Endpoint("0.0.0.0", 8001, null, null));
    assertThat(Endpoint.parse("tcp:8001")).isEqualTo(new Endpoint("0.0.0.0", 8001, null, null));
    assertThat(Endpoint.parse("tcp:port=8001:interface=\\:\\:1")).as("Daphne escapes IPv6 colons")
        .isEqualTo(new Endpoint("::1", 8001, null, null));
    assertThat(Endpoint.parse("ssl:port=8443:privateKey=key.pem:certKey=cert.pem"))
        .isEqualTo(new Endpoint("0.0.0.0", 8443, Path.of("cert.pem"), Path.of("key.pem")));
    assertThat(Endpoint.parse("ssl:port=8443:privateKey=both.pem").certFile()).isEqualTo(Path.of("both.pem"));
    assertThat(Endpoint.parse("tcp:port=8001:interface=\\:\\:1").describe()).isEqualTo("tcp:[::1]:8001");
  }

  @Test
  void mistakesAreNamed() {
    assertThatThrownBy(() -> Endpoint.parse("tcp:port=8001:port=8002")).hasMessage("endpoint 'tcp:port=8001:port=8002': "
        + "'port' given twice");
    assertThatThrownBy(() -> Endpoint.parse("tcp:interface=0.0.0.0")).hasMessage("endpoint 'tcp:interface=0.0.0.0' has no "
        + "port, e.g. tcp:port=8001");
    assertThatThrownBy(() -> Endpoint.parse("tcp:port=65536")).hasMessage("endpoint 'tcp:port=65536': port must be a "
        + "number 0-65535, got '65536'");
    assertThatThrownBy(() -> Endpoint.parse("http:8000")).hasMessageStartingWith("endpoint 'http:8000' must start with "
        + "tcp: or ssl:");
  }

  @Test
  void verbosityLevelsAreDaphnes() {
    assertThat(Verbosity.level(0)).isEqualTo("WARN");
    assertThat(Verbosity.level(1)).isEqualTo("INFO");
    assertThat(Verbosity.level(2)).isEqualTo("DEBUG");
    assertThat(Verbosity.level(3)).isEqualTo("TRACE");
  }
}
