package dev.nexus.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where an option's value comes from when it is not on the command line: the environment variable
 * {@code NEXUS_<OPTION>} (for {@code --data-dir}, {@code NEXUS_DATA_DIR}), then the YAML config file's key
 * ({@code data-dir} or {@code data_dir}), then the built-in default. Flags win over all of these.
 */
final class ConfigDefaults implements IDefaultValueProvider {
    private final Map<String, String> environment;
    private final Map<String, String> file;
    private final Map<String, String> builtIn;

    private ConfigDefaults(Map<String, String> environment, Map<String, String> file, Map<String, String> builtIn) {
        this.environment = environment;
        this.file = file;
        this.builtIn = builtIn;
    }

    /**
     * @param configFile the YAML file, or null for none
     * @param knownOptions long option names without dashes, to refuse unknown keys in the file
     * @throws IllegalArgumentException with a sentence for the operator when the file is missing or wrong
     */
    static ConfigDefaults load(Path configFile, Map<String, String> environment, Map<String, String> builtIn,
            Set<String> knownOptions) {
        return new ConfigDefaults(environment, configFile == null ? Map.of() : readYaml(configFile, knownOptions), builtIn);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option)) {
            return null;
        }
        String name = option.longestName().replaceFirst("^--", "");
        String env = environment.get(envName(name));
        if (env != null && !env.isEmpty()) {
            return env;
        }
        String fromFile = file.get(name);
        if (fromFile != null) {
            return fromFile;
        }
        return builtIn.get(name);
    }

    static String envName(String optionName) {
        return "NEXUS_" + optionName.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static Map<String, String> readYaml(Path configFile, Set<String> knownOptions) {
        if (!Files.isRegularFile(configFile)) {
            throw new IllegalArgumentException("config file " + configFile + " does not exist");
        }
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(configFile.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("config file " + configFile + " is not valid YAML: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        Map<String, String> values = new HashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return values;
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("config file " + configFile + " must be a mapping of option: value");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey().replace('_', '-');
            if (!knownOptions.contains(key) || key.equals("config")) {
                throw new IllegalArgumentException("config file " + configFile + ": unknown key '" + entry.getKey()
                        + "' (keys are the long option names, such as data-dir)");
            }
            values.put(key, scalar(entry.getValue()));
        }
        return values;
    }

    private static String scalar(JsonNode node) {
        if (node.isArray()) {
            StringJoiner joined = new StringJoiner(",");
            node.forEach(item -> joined.add(item.asText()));
            return joined.toString();
        }
        return node.isNull() ? "" : node.asText();
    }
}
