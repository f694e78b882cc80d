package io.channels4j.undertow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSourceConduit;

/**
 * A source conduit whose every read, scattering reads and transfers included, goes through {@link
 * #read(ByteBuffer)}, so a subclass that inspects or decodes bytes sees all of them.
 */
abstract class SingleBufferConduit extends AbstractStreamSourceConduit<StreamSourceConduit> {

  SingleBufferConduit(StreamSourceConduit next) {
    super(next);
  }

  @Override
  public abstract int read(ByteBuffer dst) throws IOException;

  /** Fills the first buffer with room, as one {@link #read(ByteBuffer)}. */
  @Override
  public final long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    for (int i = offset; i < offset + length; i++) {
      if (dsts[i].hasRemaining()) {
        return read(dsts[i]);
      }
    }
    return 0;
  }

  @Override
  public final long transferTo(long position, long count, FileChannel target) throws IOException {
    return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
  }

  @Override
  public final long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
    return Conduits.transfer(this, count, throughBuffer, target);
  }
}
