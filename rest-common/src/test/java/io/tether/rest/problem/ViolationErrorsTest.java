package io.tether.rest.problem;

import io.tether.contract.problem.Problem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ViolationErrorsTest {
    private static ValidatorFactory factory;
    private static Validator validator;

    record Item(@NotNull String name) {
    }

    record Body(@NotNull @Pattern(regexp = "ios|macos") String platform,
                List<@Pattern(regexp = "[a-z]+") String> tags,
                List<@Valid Item> items) {
    }

    static class Resource {
        public void create(@NotNull @Valid Body body) {
        }
    }

    @BeforeAll
    static void setUp() {
        factory = Validation.buildDefaultValidatorFactory();
        validator = factory.getValidator();
    }

    @AfterAll
    static void tearDown() {
        factory.close();
    }

    @Test
    void namesBodyFieldsByTheirJsonNameNotTheJavaPath() {
        List<Problem.FieldError> errors = validate(new Body(null, List.of("ok", "NO"), List.of(new Item("a"), new Item(null))));
        assertEquals(List.of("items[1].name", "platform", "tags[1]"), errors.stream().map(Problem.FieldError::field).toList());
    }

    @Test
    void reportsEachFieldOnceEvenForRecordComponents() {
        List<Problem.FieldError> errors = validate(new Body("android", null, null));
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("platform", errors.get(0).field());
    }

    @Test
    void namesAViolatedParameterByItsName() {
        List<Problem.FieldError> errors = validate(null);
        assertEquals(List.of("body"), errors.stream().map(Problem.FieldError::field).toList());
    }

    private static List<Problem.FieldError> validate(Body body) {
        try {
            Method create = Resource.class.getMethod("create", Body.class);
            return ViolationErrors.of(validator.forExecutables()
                    .validateParameters(new Resource(), create, new Object[] {body}));
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }
}
