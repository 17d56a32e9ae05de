package io.tether.bench.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tether.bench.Options;
import java.util.List;
import org.junit.jupiter.api.Test;

class JvmFlagsTest {

    @Test
    void jvmAddAppendsTheOptionToEveryTetherJvmAfterItsOwn() {
        JvmFlags flags = Options.parse("--scale", "small", "--jvm-add", "-XX:MaxGCPauseMillis=20", "--jvm-add", "-XX:+AlwaysPreTouch").jvm();

        assertEquals(List.of("-Xms128m", "-Xmx1g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:+AlwaysPreTouch"),
                flags.service("fanout-service"));
        assertEquals(List.of("-Xms128m", "-Xmx2g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:+AlwaysPreTouch"), flags.gateway());
        assertEquals(List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:+AlwaysPreTouch"), flags.kafka());
    }

    @Test
    void withoutJvmAddEachJvmKeepsItsDefaults() {
        JvmFlags flags = Options.parse("--scale", "small").jvm();

        assertEquals(List.of("-Xms128m", "-Xmx1g", "-XX:+UseG1GC"), flags.service("push-service"));
        assertEquals(List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC"), flags.kafka());
    }
}
