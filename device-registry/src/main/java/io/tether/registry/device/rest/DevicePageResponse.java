package io.tether.registry.device.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tether.registry.device.DevicePage;
import java.util.List;

/**
 * A page of devices in id order.
 *
 * @param next pass as {@code cursor} for the next page; absent on the last page
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DevicePageResponse(List<DeviceResponse> items, String next) {

    public static DevicePageResponse of(DevicePage page) {
        return new DevicePageResponse(page.devices().stream().map(DeviceResponse::of).toList(),
                page.lastId() == null ? null : Cursor.encode(page.lastId()));
    }
}
