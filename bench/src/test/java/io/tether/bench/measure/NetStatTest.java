package io.tether.bench.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetStatTest {
    @Test
    void readsTheTcpExtSectionByName() {
        List<String> lines = List.of(
                "TcpExt: SyncookiesSent SyncookiesRecv ListenOverflows ListenDrops",
                "TcpExt: 0 0 17 21",
                "IpExt: InNoRoutes InTruncatedPkts",
                "IpExt: 0 0");
        Map<String, Long> tcpExt = NetStat.parse(lines, "TcpExt:");
        assertEquals(17L, tcpExt.get("ListenOverflows"));
        assertEquals(21L, tcpExt.get("ListenDrops"));
        assertTrue(NetStat.parse(lines, "MPTcpExt:").isEmpty());
    }
}
