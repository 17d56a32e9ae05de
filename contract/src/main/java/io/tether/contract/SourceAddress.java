package io.tether.contract;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The source a failed authentication is counted against: an IPv4 address as it is, an IPv6 address by its /64
 * (one subscriber usually holds a whole /64, so counting single IPv6 addresses would let it try 2^64 times as often).
 * IPv4-mapped IPv6 addresses count as their IPv4 address.
 */
public final class SourceAddress {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private SourceAddress() {
    }

    public static String of(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        if (address instanceof Inet6Address) {
            byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
            Arrays.fill(prefix, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
            } catch (UnknownHostException e) {
                throw new IllegalStateException("16 bytes are an IPv6 address", e);
            }
        }
        throw new IllegalArgumentException("not an IP address");
    }

    /** The source of a textual IP address (as a socket reports it); "unknown" when it is none. Never looks a name up. */
    public static String of(String hostAddress) {
        if (hostAddress == null) {
            return "unknown";
        }
        String literal = hostAddress.contains("%") ? hostAddress.substring(0, hostAddress.indexOf('%')) : hostAddress;
        // Only literals go to getByName: an IPv6 literal has a colon (no host name has), an IPv4 one is a dotted quad.
        if (!IPV4.matcher(literal).matches() && !(literal.contains(":") && IPV6.matcher(literal).matches())) {
            return "unknown";
        }
        try {
            return of(InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
