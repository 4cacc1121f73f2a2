package callbridge.support;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Comparator;
import java.util.Optional;

/** This machine's own addresses off the loopback network: a connection to one of them comes from it. */
public final class OwnAddresses {
    private OwnAddresses() {
    }

    /** An IP literal (IPv4 first, IPv6 in brackets) of an interface that is up and not loopback. */
    public static Optional<String> offLoopback() {
        try {
            return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .filter(OwnAddresses::usable)
                    .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                    .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isAnyLocalAddress())
                    .min(Comparator.comparing(a -> a instanceof Inet4Address ? 0 : 1))
                    .map(OwnAddresses::literal);
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    private static boolean usable(NetworkInterface networkInterface) {
        try {
            return networkInterface.isUp() && !networkInterface.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }

    private static String literal(InetAddress address) {
        String text = address.getHostAddress();
        int zone = text.indexOf('%');
        return address instanceof Inet6Address ? "[" + (zone >= 0 ? text.substring(0, zone) : text) + "]" : text;
    }
}
