package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Which parked sync appenders a round's end releases: those it made durable, one other to lead
 * the next round when asked, everyone after a failure; and a released appender's wait ends.
 */
class ParkedAppendersTest {
    @Test
    void aRoundReleasesTheDurableOnesAndAtMostOneLeader() {
        ParkedAppenders parked = new ParkedAppenders();
        ParkedAppenders.Waiter early = parked.add(100);
        parked.add(300);
        parked.add(200);
        parked.add(400);
        assertThat(parked.release(200, false, false))
                .as("durable through 200, no leader wanted")
                .hasSize(2);
        assertThat(parked.size()).isEqualTo(2);
        ParkedAppenders.await(early); // released: returns at once
        assertThat(parked.release(200, false, true))
                .as("nothing more durable, one leader")
                .hasSize(1);
        assertThat(parked.size()).isEqualTo(1);
        assertThat(parked.release(200, false, false))
                .as("nothing durable, no leader")
                .isEmpty();
        assertThat(parked.release(0, true, false))
                .as("a failure releases everyone")
                .hasSize(1);
        assertThat(parked.size()).isZero();
        assertThat(parked.release(1_000, false, true)).as("nobody parked").isEmpty();
    }

    @Test
    void aReleasedAppenderWakesAndKeepsItsInterrupt() throws Exception {
        ParkedAppenders parked = new ParkedAppenders();
        ParkedAppenders.Waiter[] waiter = new ParkedAppenders.Waiter[1];
        boolean[] interruptedAfter = new boolean[1];
        CountDownLatch added = new CountDownLatch(1);
        Thread t = Thread.ofPlatform().start(() -> {
            synchronized (parked) {
                waiter[0] = parked.add(10);
            }
            added.countDown();
            ParkedAppenders.await(waiter[0]);
            interruptedAfter[0] = Thread.currentThread().isInterrupted();
        });
        assertThat(added.await(10, TimeUnit.SECONDS)).isTrue();
        t.interrupt(); // does not end the wait
        t.join(100);
        assertThat(t.isAlive())
                .as("an interrupted appender still waits for its round")
                .isTrue();
        synchronized (parked) {
            ParkedAppenders.unpark(parked.release(10, false, false));
        }
        t.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(t.isAlive()).as("the released appender returned").isFalse();
        assertThat(interruptedAfter[0]).as("its interrupt status is kept").isTrue();
    }
}
