package io.channels4j.redis;

import io.channels4j.Application;
import io.channels4j.Message;
import io.channels4j.consumer.AsyncConsumer;
import io.channels4j.routing.ChannelNameRouter;
import io.channels4j.routing.ProtocolTypeRouter;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A worker application for {@link WorkerProcessTest}, run by {@code runworker} in a child JVM: a {@code
 * job.run} on channel {@value #JOBS} reports {@code job.started} to its {@code reply} channel, waits for a
 * message on {@value #RELEASE} (so the test decides when the job ends), then reports {@code job.finished}.
 */
public final class SlowJobApplication implements Supplier<Application> {

  static final String JOBS = "test-jobs";
  static final String RELEASE = "test-jobs-release";

  /** Made by the command. */
  public SlowJobApplication() {}

  @Override
  public Application get() {
    return ProtocolTypeRouter.builder()
        .channel(ChannelNameRouter.of(Map.of(JOBS, AsyncConsumer.asApplication(Job::new))))
        .build();
  }

  /** Runs one job at a time. */
  public static final class Job extends AsyncConsumer {
    /** One per channel. */
    public Job() {}

    /** Starts, waits for the release, finishes. */
    public CompletionStage<Void> jobRun(Message job) {
      String reply = job.getString("reply");
      Object id = job.get("id");
      return channelLayer().send(reply, Message.of("job.started", "id", id))
          .thenCompose(v -> channelLayer().receive(RELEASE))
          .thenCompose(release -> channelLayer().send(reply, Message.of("job.finished", "id", id)));
    }
  }
}
