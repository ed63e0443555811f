package dev.nexus.server.cli;

import dev.nexus.server.ServiceInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code nexus} command. Bad options or values print one line and exit 2; a server that cannot start
 * prints one line and exits 1. No stack traces for operator mistakes.
 */
@Command(name = "nexus", mixinStandardHelpOptions = true, versionProvider = NexusCommand.Version.class,
        description = "Nexus: a real-time event bus and coordination hub for fleets of AI agents.",
        subcommands = {ServeCommand.class, CommandLine.HelpCommand.class})
public final class NexusCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("serve")) {
            withoutNettyFlightRecorderEvents();
            StartupWarmup.begin();
        }
        int exit = execute(args, System.getenv());
        if (exit != 0) {
            System.exit(exit);
        }
    }

    /**
     * Netty 4.2 registers its buffer allocator's Flight Recorder events when it allocates its first chunk: on the
     * event loop, during the first request, about 100 ms of a start (docs/benchmarks.md, step 41). They are off
     * unless {@code -Dio.netty.jfr.enabled=true} asks for them, as it may when profiling the allocator.
     */
    private static void withoutNettyFlightRecorderEvents() {
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
    }

    /** Runs the command line; returns the exit code. */
    static int execute(String[] args, Map<String, String> environment) {
        CommandLine commandLine;
        try {
            commandLine = commandLine(args, environment);
        } catch (IllegalArgumentException e) {
            PrintWriter err = new PrintWriter(System.err, true);
            err.println("nexus: " + e.getMessage());
            return 2;
        }
        return commandLine.execute(args);
    }

    /**
     * The command line with its error handling and the configuration sources of {@code serve} (environment,
     * YAML file, built-in defaults).
     *
     * @throws IllegalArgumentException when the config file is missing or invalid
     */
    static CommandLine commandLine(String[] args, Map<String, String> environment) {
        CommandLine commandLine = new CommandLine(new NexusCommand());
        CommandLine serve = commandLine.getSubcommands().get("serve");
        serve.setDefaultValueProvider(ConfigDefaults.load(configFile(args, environment), environment,
                ServeCommand.builtInDefaults(), new HashSet<>(ServeCommand.optionNames())));
        commandLine.setParameterExceptionHandler((ex, arguments) -> {
            ex.getCommandLine().getErr().println("nexus: " + ex.getMessage() + " (see 'nexus "
                    + (ex.getCommandLine() == commandLine ? "" : "serve ") + "--help')");
            return 2;
        });
        commandLine.setExecutionExceptionHandler((ex, cl, parseResult) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof IllegalStateException) {
                cl.getErr().println("nexus: " + ex.getMessage());
                return ex instanceof IllegalArgumentException ? 2 : 1;
            }
            cl.getErr().println("nexus: failed: " + ex);
            return 1;
        });
        return commandLine;
    }

    /** {@code --config FILE} or {@code --config=FILE} from the arguments, else {@code NEXUS_CONFIG}. */
    private static Path configFile(String[] args, Map<String, String> environment) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--config needs a file");
                }
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        String fromEnv = environment.get("NEXUS_CONFIG");
        return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"nexus " + ServiceInfo.VERSION};
        }
    }
}
