package io.tether.deploy;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.EnumDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.expr.AnnotationExpr;
import com.github.javaparser.ast.expr.MemberValuePair;
import com.github.javaparser.ast.expr.NormalAnnotationExpr;
import com.github.javaparser.ast.expr.SingleMemberAnnotationExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.Type;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration properties a service reads, taken from the {@code @ConfigMapping} interfaces in its sources
 * (and those of the project modules it depends on), the way SmallRye Config names them: kebab-case method names,
 * {@code @WithName}, {@code @WithParentName}, nested groups, {@code Map} keys and {@code List} indexes. Read from
 * source, not classes, so that a renamed property shows here without building the service first.
 */
final class ConfigModel {
    /** One property: its name pattern ({@code *} a map key, {@code [*]} a list index), default and whether required. */
    record Property(String pattern, Optional<String> defaultValue, boolean required, String declaredIn) {
        /** Matches a property name as written in a properties file (map keys may be quoted and hold dots). */
        Pattern nameRegex() {
            StringBuilder regex = new StringBuilder();
            String rest = pattern;
            while (!rest.isEmpty()) {
                if (rest.startsWith("[*]")) {
                    regex.append("\\[\\d+\\]");
                    rest = rest.substring(3);
                } else if (rest.equals("*")) {
                    regex.append("(?:\"[^\"]+\"|.+)"); // a leaf map: the key is the rest of the name
                    rest = "";
                } else if (rest.startsWith("*")) {
                    regex.append("(?:\"[^\"]+\"|[^.\"\\[]+)");
                    rest = rest.substring(1);
                } else {
                    int next = nextSpecial(rest);
                    regex.append(Pattern.quote(rest.substring(0, next)));
                    rest = rest.substring(next);
                }
            }
            return Pattern.compile(regex.toString());
        }

        /** Matches the environment variable form: upper case, every other character an underscore. */
        Pattern envRegex() {
            StringBuilder regex = new StringBuilder();
            String rest = pattern;
            while (!rest.isEmpty()) {
                if (rest.startsWith("[*]")) {
                    regex.append("_\\d+_");
                    rest = rest.substring(3);
                } else if (rest.startsWith("*")) {
                    regex.append("[A-Z0-9_]+");
                    rest = rest.substring(1);
                } else {
                    int next = nextSpecial(rest);
                    regex.append(Pattern.quote(rest.substring(0, next).toUpperCase().replaceAll("[^A-Z0-9]", "_")));
                    rest = rest.substring(next);
                }
            }
            return Pattern.compile(regex.toString());
        }

        private static int nextSpecial(String s) {
            int star = s.indexOf('*');
            int bracket = s.indexOf("[*]");
            int next = s.length();
            if (star >= 0) {
                next = Math.min(next, star);
            }
            if (bracket >= 0) {
                next = Math.min(next, bracket);
            }
            return next;
        }
    }

    private static final Set<String> OPTIONALS = Set.of("Optional", "OptionalInt", "OptionalLong", "OptionalDouble");
    private static final Set<String> COLLECTIONS = Set.of("List", "Set", "Collection");

    private final Map<String, Property> properties = new TreeMap<>();
    private final Map<String, ClassOrInterfaceDeclaration> interfaces = new HashMap<>();
    private final Set<String> enums = new HashSet<>();

    private ConfigModel() {
    }

    /** The properties read by the code under these source roots. */
    static ConfigModel of(List<Path> sourceRoots) {
        ConfigModel model = new ConfigModel();
        JavaParser parser = new JavaParser(new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17));
        List<CompilationUnit> units = new ArrayList<>();
        for (Path root : sourceRoots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    ParseResult<CompilationUnit> result = parser.parse(file);
                    if (!result.isSuccessful() || result.getResult().isEmpty()) {
                        throw new IllegalStateException("cannot parse " + file + ": " + result.getProblems());
                    }
                    units.add(result.getResult().get());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (CompilationUnit unit : units) {
            unit.findAll(ClassOrInterfaceDeclaration.class).stream()
                    .filter(ClassOrInterfaceDeclaration::isInterface)
                    .forEach(type -> model.interfaces.put(type.getNameAsString(), type));
            unit.findAll(EnumDeclaration.class).forEach(e -> model.enums.add(e.getNameAsString()));
        }
        for (ClassOrInterfaceDeclaration type : model.interfaces.values()) {
            type.getAnnotationByName("ConfigMapping").ifPresent(mapping -> {
                String prefix = attribute(mapping, "prefix").orElse("");
                model.group(type, prefix, type.getNameAsString(), false);
            });
        }
        return model;
    }

    Map<String, Property> properties() {
        return properties;
    }

    /** The property whose pattern matches {@code name} as written in a properties file. */
    Optional<Property> byName(String name) {
        return properties.values().stream().filter(p -> p.nameRegex().matcher(name).matches()).findFirst();
    }

    /** The property whose environment variable form matches {@code env}. */
    Optional<Property> byEnv(String env) {
        return properties.values().stream().filter(p -> p.envRegex().matcher(env).matches()).findFirst();
    }

    private void group(ClassOrInterfaceDeclaration type, String prefix, String declaredIn, boolean optional) {
        for (ClassOrInterfaceType parent : type.getExtendedTypes()) {
            ClassOrInterfaceDeclaration parentType = interfaces.get(parent.getNameAsString());
            if (parentType != null) {
                group(parentType, prefix, declaredIn, optional);
            }
        }
        for (MethodDeclaration method : type.getMethods()) {
            if (method.isStatic() || method.isDefault() || method.getParameters().isNonEmpty()) {
                continue;
            }
            String name = method.getAnnotationByName("WithParentName").isPresent() ? prefix
                    : join(prefix, method.getAnnotationByName("WithName").flatMap(a -> attribute(a, "value")).orElse(kebab(method.getNameAsString())));
            Optional<String> defaultValue = method.getAnnotationByName("WithDefault").flatMap(a -> attribute(a, "value"));
            member(method.getType(), name, defaultValue, optional, declaredIn + "." + method.getNameAsString() + "()");
        }
    }

    private void member(Type type, String name, Optional<String> defaultValue, boolean optional, String declaredIn) {
        if (type.isClassOrInterfaceType()) {
            ClassOrInterfaceType classType = type.asClassOrInterfaceType();
            String simple = classType.getNameAsString();
            List<Type> args = classType.getTypeArguments().map(List::copyOf).orElse(List.of());
            if (OPTIONALS.contains(simple)) {
                if (args.isEmpty()) {
                    leaf(name, defaultValue, true, declaredIn);
                } else {
                    member(args.get(0), name, defaultValue, true, declaredIn);
                }
                return;
            }
            if (simple.equals("Map") && args.size() == 2) {
                Type value = unwrap(args.get(1));
                if (isGroup(value)) {
                    group(interfaces.get(simpleName(value)), name + ".*", declaredIn, true);
                } else {
                    leaf(name + ".*", Optional.empty(), false, declaredIn);
                }
                return;
            }
            if (COLLECTIONS.contains(simple) && args.size() == 1 && isGroup(unwrap(args.get(0)))) {
                group(interfaces.get(simpleName(unwrap(args.get(0)))), name + "[*]", declaredIn, optional);
                return;
            }
            if (isGroup(classType)) {
                group(interfaces.get(simple), name, declaredIn, optional);
                return;
            }
        }
        leaf(name, defaultValue, optional, declaredIn);
    }

    private void leaf(String name, Optional<String> defaultValue, boolean optional, String declaredIn) {
        properties.put(name, new Property(name, defaultValue, !optional && defaultValue.isEmpty(), declaredIn));
    }

    private boolean isGroup(Type type) {
        return type.isClassOrInterfaceType() && interfaces.containsKey(simpleName(type))
                && !enums.contains(simpleName(type));
    }

    private static Type unwrap(Type type) {
        if (type.isClassOrInterfaceType() && OPTIONALS.contains(type.asClassOrInterfaceType().getNameAsString())) {
            return type.asClassOrInterfaceType().getTypeArguments().map(a -> a.get(0)).orElse(type);
        }
        return type;
    }

    private static String simpleName(Type type) {
        return type.asClassOrInterfaceType().getNameAsString();
    }

    private static Optional<String> attribute(AnnotationExpr annotation, String name) {
        if (annotation instanceof SingleMemberAnnotationExpr single && name.equals("value")) {
            return literal(single.getMemberValue());
        }
        if (annotation instanceof NormalAnnotationExpr normal) {
            for (MemberValuePair pair : normal.getPairs()) {
                if (pair.getNameAsString().equals(name)) {
                    return literal(pair.getValue());
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> literal(com.github.javaparser.ast.expr.Expression value) {
        if (value instanceof StringLiteralExpr string) {
            return Optional.of(string.asString());
        }
        throw new IllegalStateException("only string literals are understood in config annotations, not " + value);
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    /** SmallRye Config's default naming: {@code maxInFlight} becomes {@code max-in-flight}. */
    static String kebab(String methodName) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < methodName.length(); i++) {
            char c = methodName.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean afterLower = i > 0 && !Character.isUpperCase(methodName.charAt(i - 1));
                boolean startsWord = i > 0 && i + 1 < methodName.length() && Character.isLowerCase(methodName.charAt(i + 1));
                if (afterLower || startsWord) {
                    out.append('-');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
