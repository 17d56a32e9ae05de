package io.tether.registry.grant.rest;

import io.tether.registry.grant.Grant;
import io.tether.registry.grant.GrantAction;
import io.tether.registry.grant.TopicFilters;
import io.tether.contract.problem.Problem;
import io.tether.rest.problem.ProblemException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One grant as the API reads and writes it: {@code {"filter": "chat/room1/#", "actions": ["subscribe", "publish"]}}. */
@Schema(description = "An MQTT topic filter and what it allows")
public record GrantBody(
        @Schema(description = "MQTT topic filter; + and # only as whole levels, # last, no leading $") String filter,
        @Schema(description = "subscribe, publish or both") List<String> actions) {

    public static final int MAX_GRANTS = 32;

    public static GrantBody of(Grant grant) {
        return new GrantBody(grant.filter(), EnumSet.copyOf(grant.actions()).stream().map(GrantAction::wire).toList());
    }

    /**
     * Checks a whole PUT body. Errors are named {@code grants[i].filter} and {@code grants[i].actions[j]},
     * without quoting what was sent.
     *
     * @throws ProblemException 400
     */
    public static List<Grant> toGrants(List<GrantBody> body) {
        if (body == null) {
            throw ProblemException.validation("a JSON array of grants is required",
                    List.of(new Problem.FieldError("grants", "must be a JSON array (empty to remove all)")));
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        if (body.size() > MAX_GRANTS) {
            errors.add(new Problem.FieldError("grants", "must hold at most " + MAX_GRANTS + " grants"));
        }
        List<Grant> grants = new ArrayList<>();
        Set<String> filters = new HashSet<>();
        for (int i = 0; i < body.size(); i++) {
            String at = "grants[" + i + "]";
            GrantBody item = body.get(i);
            if (item == null) {
                errors.add(new Problem.FieldError(at, "must be an object"));
                continue;
            }
            boolean valid = true;
            var filterProblem = TopicFilters.problem(item.filter());
            if (filterProblem.isPresent()) {
                errors.add(new Problem.FieldError(at + ".filter", filterProblem.get()));
                valid = false;
            } else if (!filters.add(item.filter())) {
                errors.add(new Problem.FieldError(at + ".filter", "is granted twice"));
                valid = false;
            }
            EnumSet<GrantAction> actions = EnumSet.noneOf(GrantAction.class);
            if (item.actions() == null || item.actions().isEmpty()) {
                errors.add(new Problem.FieldError(at + ".actions", "must list subscribe, publish or both"));
                valid = false;
            } else {
                for (int j = 0; j < item.actions().size(); j++) {
                    var action = GrantAction.parse(item.actions().get(j));
                    if (action.isEmpty()) {
                        errors.add(new Problem.FieldError(at + ".actions[" + j + "]", "must be subscribe or publish"));
                        valid = false;
                    } else {
                        actions.add(action.get());
                    }
                }
            }
            if (valid) {
                grants.add(new Grant(item.filter(), actions));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation("invalid grants", errors);
        }
        return grants;
    }
}
