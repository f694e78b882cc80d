package io.channels4j.undertow;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BindFailureTest extends LiveServerTest {

  @Test
  void aBusyPortNamesTheAddress() {
    int port = start(ChannelsServer.builder(echo.app));
    ChannelsServer second = ChannelsServer.builder(echo.app).port(port).build();
    assertThatThrownBy(second::start).isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot listen on 127.0.0.1:" + port + ": address 127.0.0.1:" + port + " is already in use");
  }
}
