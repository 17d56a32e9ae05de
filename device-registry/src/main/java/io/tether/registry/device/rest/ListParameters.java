package io.tether.registry.device.rest;

import io.tether.contract.Platform;
import io.tether.registry.device.DeviceQuery;
import io.tether.contract.problem.Problem;
import io.tether.rest.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;

/** Query parameters of device listings, checked together so one 400 names every bad one. */
public final class ListParameters {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    private ListParameters() {
    }

    /** @throws ProblemException 400 naming the invalid parameters (never echoing them) */
    public static DeviceQuery toQuery(String limit, String cursor, String userId, String platform, String appId) {
        List<Problem.FieldError> errors = new ArrayList<>();
        int size = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                size = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1 || size > MAX_LIMIT) {
                errors.add(new Problem.FieldError("limit", "must be a whole number from 1 to " + MAX_LIMIT));
            }
        }
        String after = null;
        if (cursor != null) {
            after = Cursor.decode(cursor).orElse(null);
            if (after == null) {
                errors.add(new Problem.FieldError("cursor", "is not a cursor this API issued"));
            }
        }
        if (userId != null && !Fields.isUserId(userId)) {
            errors.add(new Problem.FieldError("userId", Fields.USER_ID_MESSAGE));
        }
        if (platform != null && !Fields.isPlatform(platform)) {
            errors.add(new Problem.FieldError("platform", Fields.PLATFORM_MESSAGE));
        }
        if (appId != null && !Fields.isAppId(appId)) {
            errors.add(new Problem.FieldError("appId", Fields.APP_ID_MESSAGE));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation("invalid query parameters: "
                    + String.join(", ", errors.stream().map(Problem.FieldError::field).toList()), errors);
        }
        return new DeviceQuery(userId, appId, platform == null ? null : Platform.parse(platform).orElseThrow(), after, size);
    }
}
