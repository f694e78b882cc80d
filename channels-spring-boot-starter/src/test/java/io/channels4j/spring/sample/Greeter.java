package io.channels4j.spring.sample;

import org.springframework.stereotype.Service;

/** A plain Spring service the consumer gets injected: it labels each chat line with its room. */
@Service
public class Greeter {

  /** The line clients see for {@code text} said in {@code room}. */
  public String line(String room, String text) {
    return room + ": " + text;
  }
}
