package io.tether.registry.device;

import java.util.List;

/**
 * One page of a device listing.
 *
 * @param devices in id order
 * @param lastId  where the next page starts after; null when there is no next page
 */
public record DevicePage(List<Device> devices, String lastId) {
    public DevicePage {
        devices = List.copyOf(devices);
    }
}
