package dev.keygate.server.runtime;

import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The default of each {@link ConfigOptions} option: its {@code KEYGATE_*} variable (SPEC section
 * 10), {@code --https-port} from {@code KEYGATE_HTTPS_PORT}. A blank variable counts as unset.
 * Other options (a command's own, such as {@code --account}) have no variable.
 */
public final class EnvironmentDefaults implements IDefaultValueProvider {

    private final Map<String, String> environment;

    public EnvironmentDefaults(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (!(argument instanceof OptionSpec option)) {
            return null;
        }
        return ConfigOptions.variableOf(option.longestName())
                .map(environment::get)
                .filter(value -> !value.isBlank())
                .map(String::strip)
                .orElse(null);
    }
}
