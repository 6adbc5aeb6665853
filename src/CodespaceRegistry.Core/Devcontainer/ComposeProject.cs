using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CodespaceRegistry.Devcontainer
{
    /// <summary>A value written in a Compose file, not yet interpolated, with where it was written.</summary>
    internal sealed class ComposeValue
    {
        public ComposeValue(string text, SourceLocation location)
        {
            Text = text;
            Location = location;
        }

        public string Text { get; }

        public SourceLocation Location { get; }
    }

    /// <summary>What a Compose service pulls or builds, merged over every file of the project.</summary>
    internal sealed class ComposeService
    {
        public ComposeService(string name) { Name = name; }

        public string Name { get; }

        public ComposeValue? Image { get; set; }

        /// <summary>Where <c>build:</c> is written; null when the service builds nothing.</summary>
        public SourceLocation? Build { get; set; }

        public ComposeValue? BuildContext { get; set; }

        public ComposeValue? BuildDockerfile { get; set; }

        public ComposeValue? BuildTarget { get; set; }

        public Dictionary<string, ComposeValue> BuildArgs { get; } = new Dictionary<string, ComposeValue>(StringComparer.Ordinal);

        public List<string> DependsOn { get; } = new List<string>();

        /// <summary>The service lists <c>profiles</c>: <c>docker compose up</c> starts it only when it is named or depended on.</summary>
        public bool HasProfiles { get; set; }
    }

    /// <summary>
    /// The services of a Compose project made of one or more files, later files overriding earlier ones, as
    /// <c>docker compose -f a.yml -f b.yml</c> merges them: <c>image</c>, <c>build</c> (a context string or
    /// <c>{context, dockerfile, args, target}</c>), <c>depends_on</c>, <c>profiles</c>, with YAML anchors and <c>&lt;&lt;</c> merge keys.
    /// Relative paths are relative to the first file's folder, the project directory, which also holds <c>.env</c>.
    /// </summary>
    internal sealed class ComposeProject
    {
        private ComposeProject(string directory, List<ComposeService> services, Dictionary<string, string> environment)
        {
            Directory = directory;
            Services = services;
            Environment = environment;
        }

        public string Directory { get; }

        /// <summary>Services in the order they were first written.</summary>
        public IReadOnlyList<ComposeService> Services { get; }

        /// <summary>The variables of the project's <c>.env</c> file, which Compose interpolates.</summary>
        public IReadOnlyDictionary<string, string> Environment { get; }

        /// <exception cref="RegistryException">ErrorId <c>ComposeFileInvalid</c> naming the file and line.</exception>
        public static ComposeProject Load(IReadOnlyList<(string File, string RelativePath)> files)
        {
            var directory = Path.GetDirectoryName(files[0].File)!;
            var services = new List<ComposeService>();
            foreach (var (file, relative) in files)
            {
                var stream = new YamlStream();
                try
                {
                    using var reader = new StreamReader(file);
                    stream.Load(reader);
                }
                catch (YamlException e)
                {
                    throw new RegistryException("ComposeFileInvalid", ErrorKind.InvalidData,
                        $"{relative} is not valid YAML near line {e.Start.Line}. Fix the file so that docker compose can read it.", e);
                }
                if (stream.Documents.Count == 0 || !(stream.Documents[0].RootNode is YamlMappingNode root)) continue;
                if (!(Get(root, "services") is YamlMappingNode serviceNodes)) continue;
                foreach (var entry in serviceNodes.Children)
                {
                    if (!(entry.Key is YamlScalarNode key) || !(entry.Value is YamlMappingNode node) || key.Value == null) continue;
                    var service = services.FirstOrDefault(s => s.Name == key.Value);
                    if (service == null) services.Add(service = new ComposeService(key.Value));
                    Merge(service, node, n => new SourceLocation(file, relative, (int)n.Start.Line));
                }
            }
            return new ComposeProject(directory, services, ReadDotEnv(Path.Combine(directory, ".env")));
        }

        private static void Merge(ComposeService service, YamlMappingNode node, Func<YamlNode, SourceLocation> at)
        {
            ComposeValue? Value(YamlNode? n) => n is YamlScalarNode s && s.Value != null ? new ComposeValue(s.Value, at(s)) : null;

            if (Value(Get(node, "image")) is ComposeValue image) service.Image = image;

            var build = Get(node, "build");
            if (build is YamlScalarNode context)
            {
                service.Build = at(context);
                service.BuildContext = Value(context);
            }
            else if (build is YamlMappingNode spec)
            {
                service.Build = at(spec);
                service.BuildContext = Value(Get(spec, "context")) ?? service.BuildContext;
                service.BuildDockerfile = Value(Get(spec, "dockerfile")) ?? service.BuildDockerfile;
                service.BuildTarget = Value(Get(spec, "target")) ?? service.BuildTarget;
                switch (Get(spec, "args"))
                {
                    case YamlMappingNode args:
                        foreach (var arg in args.Children)
                        {
                            if (arg.Key is YamlScalarNode name && Value(arg.Value) is ComposeValue v) service.BuildArgs[name.Value!] = v;
                        }
                        break;
                    case YamlSequenceNode args:
                        foreach (var item in args.Children.OfType<YamlScalarNode>())
                        {
                            var eq = item.Value?.IndexOf('=') ?? -1;
                            if (eq > 0) service.BuildArgs[item.Value!.Substring(0, eq)] = new ComposeValue(item.Value.Substring(eq + 1), at(item));
                        }
                        break;
                }
            }

            if (Get(node, "profiles") is YamlSequenceNode profiles && profiles.Children.Count > 0) service.HasProfiles = true;

            var dependsOn = Get(node, "depends_on");
            var names = dependsOn is YamlSequenceNode list ? list.Children.OfType<YamlScalarNode>().Select(s => s.Value)
                : dependsOn is YamlMappingNode map ? map.Children.Keys.OfType<YamlScalarNode>().Select(s => s.Value)
                : Enumerable.Empty<string?>();
            foreach (var name in names)
            {
                if (name != null && !service.DependsOn.Contains(name)) service.DependsOn.Add(name);
            }
        }

        /// <summary>A key of a mapping, looking through <c>&lt;&lt;</c> merge keys as YAML 1.1 (and Compose) do.</summary>
        private static YamlNode? Get(YamlMappingNode map, string key)
        {
            foreach (var pair in map.Children)
            {
                if (pair.Key is YamlScalarNode k && k.Value == key) return pair.Value;
            }
            foreach (var pair in map.Children)
            {
                if (!(pair.Key is YamlScalarNode k) || k.Value != "<<") continue;
                var sources = pair.Value is YamlSequenceNode many ? many.Children : new[] { pair.Value };
                foreach (var source in sources.OfType<YamlMappingNode>())
                {
                    if (Get(source, key) is YamlNode found) return found;
                }
            }
            return null;
        }

        /// <summary>Reads <c>KEY=VALUE</c> lines of a Compose <c>.env</c> file; comments, <c>export</c> and quotes allowed.</summary>
        private static Dictionary<string, string> ReadDotEnv(string path)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!File.Exists(path)) return values;
            foreach (var raw in File.ReadAllLines(path))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line[0] == '#') continue;
                if (line.StartsWith("export ", StringComparison.Ordinal)) line = line.Substring("export ".Length).TrimStart();
                var eq = line.IndexOf('=');
                if (eq <= 0) continue;
                var value = line.Substring(eq + 1).Trim();
                if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[value.Length - 1] == value[0])
                    value = value.Substring(1, value.Length - 2);
                else if (value.IndexOf(" #", StringComparison.Ordinal) is var hash && hash >= 0)
                    value = value.Substring(0, hash).TrimEnd();
                values[line.Substring(0, eq).Trim()] = value;
            }
            return values;
        }
    }
}
