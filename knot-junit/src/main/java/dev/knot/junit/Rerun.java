package dev.knot.junit;

import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The last line of every Knot failure: how to run just that test again. */
final class Rerun {
    private Rerun() {
    }

    /**
     * {@code Re-run: mvn test -Dtest='com.acme.FooTest#bar' | gradle test --tests 'com.acme.FooTest.bar'}, plus the
     * configured random-order seed (Maven passes -D to surefire; for Gradle it is named), plus, for one invocation of a parameterized/repeated/dynamic test, a console
     * launcher selector for exactly that invocation (Maven and Gradle can only select the whole method).
     */
    static String line(ExtensionContext context) {
        // a dynamic test's context knows neither class nor method: its factory's context does
        ExtensionContext named = context;
        while (named.getTestClass().isEmpty() && named.getParent().isPresent()) named = named.getParent().get();
        Optional<Class<?>> testClass = named.getTestClass();
        if (testClass.isEmpty()) return "Re-run: mvn test | gradle test";
        String cls = testClass.get().getName();
        String method = null;
        for (ExtensionContext c = context; c != null && method == null; c = c.getParent().orElse(null)) {
            method = c.getTestMethod().map(Method::getName).orElse(null);
            if (c.getElement().filter(e -> e instanceof Class<?>).isPresent()) break;
        }
        String seed = context.getConfigurationParameter(KnotConfig.JUNIT_RANDOM_SEED).map(String::trim).orElse(null);
        StringBuilder s = new StringBuilder("Re-run: mvn test -Dtest='").append(cls);
        if (method != null) s.append('#').append(method);
        s.append('\'');
        if (seed != null) s.append(" -D").append(KnotConfig.JUNIT_RANDOM_SEED).append('=').append(seed);
        s.append(" | gradle test --tests '").append(cls);
        if (method != null) s.append('.').append(method);
        s.append('\'');
        if (seed != null) s.append(" (random order seed ").append(seed).append(')');
        String uid = context.getUniqueId();
        if (uid.contains("[test-template-invocation:") || uid.contains("[dynamic-test:") || uid.contains("[dynamic-container:")) {
            s.append(" | only this invocation (").append(context.getDisplayName())
                    .append("): java -jar junit-platform-console-standalone.jar execute -cp <test class path> --select-unique-id '")
                    .append(uid).append('\'');
        }
        return s.toString();
    }
}
