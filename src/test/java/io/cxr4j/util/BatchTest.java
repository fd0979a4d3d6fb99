package io.cxr4j.util;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchTest {
    @Test
    void oneThreadRunsInTheCallersThreadAndStillRecordsEachFailure() {
        Set<Thread> ran = Collections.synchronizedSet(new HashSet<>());
        List<Batch.Failure> f = Batch.run(List.of("b", "bad", "a", "crash"), 1, Path::of, Progress.silent(4), item -> {
            ran.add(Thread.currentThread());
            if (item.equals("bad")) throw new BadInputException("unreadable");
            if (item.equals("crash")) throw new IllegalStateException("boom");
        });
        assertEquals(Set.of(Thread.currentThread()), ran);
        assertEquals(List.of("bad: unreadable", "crash: IllegalStateException: boom"), f.stream().map(Object::toString).toList());
    }

    @Test
    void severalThreadsRunEveryItemOffTheCallersThread() {
        Set<String> done = Collections.synchronizedSet(new HashSet<>());
        Set<Thread> ran = Collections.synchronizedSet(new HashSet<>());
        List<Batch.Failure> f = Batch.run(List.of("a", "b", "c", "d"), 2, Path::of, Progress.silent(4), item -> {
            done.add(item);
            ran.add(Thread.currentThread());
        });
        assertTrue(f.isEmpty());
        assertEquals(Set.of("a", "b", "c", "d"), done);
        assertTrue(!ran.contains(Thread.currentThread()));
    }
}
