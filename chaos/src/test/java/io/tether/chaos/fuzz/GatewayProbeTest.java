package io.tether.chaos.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GatewayProbeTest {

    @Test
    void sumsTheConnectionGaugeOverItsLabels() {
        String metrics = """
                # TYPE tether_gateway_connections gauge
                tether_gateway_connections{protocol="3.1.1",transport="tcp"} 4.0
                tether_gateway_connections{protocol="5",transport="tcp"} 2.0
                tether_gateway_connections_total 99.0
                """;
        assertEquals(6, GatewayProbe.parseConnections(metrics));
    }

    @Test
    void addsTheUsedSpaceOfTheHeapGenerationsButNotMetaspace() {
        String serialGc = """
                 def new generation   total 9792K, used 4178K [0x00000000f0000000, 0x00000000f0aa0000, 0x00000000f5550000)
                  eden space 8704K,  48% used [0x00000000f0000000, 0x00000000f0414a90, 0x00000000f0880000)
                 tenured generation   total 21748K, used 13032K [0x00000000f5550000, 0x00000000f6a8d000, 0x0000000100000000)
                 Metaspace       used 33650K, committed 34112K, reserved 1081344K
                  class space    used 4100K, committed 4352K, reserved 1048576K
                """;
        assertEquals(4178 + 13032, GatewayProbe.parseHeapUsed(serialGc));
    }
}
