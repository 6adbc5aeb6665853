using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace CodespaceRegistry.Devcontainer
{
    /// <summary>An image a Dockerfile pulls: a <c>FROM</c> base, a <c>COPY --from</c> or a <c>RUN --mount=from=</c> source.</summary>
    internal sealed class DockerfileImage
    {
        public DockerfileImage(string written, string reference, IReadOnlyList<string> unresolved, int line, string? stage)
        {
            Written = written;
            Reference = reference;
            Unresolved = unresolved;
            Line = line;
            Stage = stage;
        }

        /// <summary>The reference as written, variables and all.</summary>
        public string Written { get; }

        /// <summary>The reference with its variables expanded.</summary>
        public string Reference { get; }

        /// <summary>Variables with no value and no default: when there are any, <see cref="Reference"/> cannot be trusted.</summary>
        public IReadOnlyList<string> Unresolved { get; }

        public int Line { get; }

        /// <summary>The name of the stage the line belongs to, when it has one.</summary>
        public string? Stage { get; }
    }

    /// <summary>What a Dockerfile pulls when it is built for a target, and whether the target exists.</summary>
    internal sealed class DockerfileImages
    {
        public DockerfileImages(IReadOnlyList<DockerfileImage> images, string? missingTarget)
        {
            Images = images;
            MissingTarget = missingTarget;
        }

        public DockerfileImages(RegistryException limit, int line)
        {
            Images = Array.Empty<DockerfileImage>();
            Limit = limit;
            LimitLine = line;
        }

        public IReadOnlyList<DockerfileImage> Images { get; }

        /// <summary>A limit the file passed (an expansion too long or too deep), which stopped the reading; then there are no images.</summary>
        public RegistryException? Limit { get; }

        /// <summary>The line of the instruction that passed <see cref="Limit"/>.</summary>
        public int LimitLine { get; }

        /// <summary>The target that names no stage (then every stage's images are listed), or null.</summary>
        public string? MissingTarget { get; }
    }

    /// <summary>
    /// Reads the images a Dockerfile pulls, as BuildKit builds it: parser directives (<c># escape=</c>), line
    /// continuations, comments, heredocs, global <c>ARG</c>s with defaults overridden by build args,
    /// <c>--platform</c> (the automatic platform ARGs stay unknown), stages named with <c>AS</c> (a stage built on an earlier stage is not an image;
    /// <c>scratch</c> is none), and only the stages the target (the last stage by default) depends on.
    /// </summary>
    internal static class DockerfileParser
    {
        // Matched against a trimmed line: no trailing \s* after a lazy value, which backtracks quadratically on a long line.
        private static readonly Regex Directive = new Regex(@"^#\s*(?<name>[A-Za-z]+)\s*=\s*(?<value>.*)$", RegexOptions.CultureInvariant);
        private static readonly Regex Heredoc = new Regex(@"<<(?<dash>-?)(?<quote>[""']?)(?<word>[A-Za-z_][A-Za-z0-9_]*)\k<quote>", RegexOptions.CultureInvariant);

        private sealed class Instruction
        {
            public Instruction(string keyword, string arguments, int line)
            {
                Keyword = keyword;
                Arguments = arguments;
                Line = line;
            }

            public string Keyword { get; }
            public string Arguments { get; }
            public int Line { get; }
        }

        private sealed class Stage
        {
            public Stage(string? name) { Name = name; }
            public string? Name { get; }
            public List<DockerfileImage> Images { get; } = new List<DockerfileImage>();
            public List<int> DependsOn { get; } = new List<int>();
            public Dictionary<string, string?> Args { get; } = new Dictionary<string, string?>(StringComparer.Ordinal);
        }

        public static DockerfileImages Parse(string text, IReadOnlyDictionary<string, string> buildArgs, string? target)
        {
            var instructions = Instructions(text, out var escape);
            var globals = new Dictionary<string, string?>(StringComparer.Ordinal);
            var stages = new List<Stage>();
            var named = new Dictionary<string, int>(StringComparer.Ordinal);

            foreach (var instruction in instructions)
            {
                try
                {
                    Read(instruction, escape, buildArgs, globals, stages, named);
                }
                catch (RegistryException limit) when (limit.Kind == ErrorKind.LimitsExceeded)
                {
                    return new DockerfileImages(limit, instruction.Line);
                }
            }

            string? missingTarget = null;
            var wanted = stages.Count - 1;
            if (!string.IsNullOrEmpty(target))
            {
                wanted = named.TryGetValue(target!.ToLowerInvariant(), out var index) ? index : -1;
                if (wanted < 0) missingTarget = target;
            }
            var reached = wanted < 0 ? Enumerable.Range(0, stages.Count).ToList() : Reachable(stages, wanted);
            var images = reached.SelectMany(i => stages[i].Images).OrderBy(i => i.Line).ToList();
            return new DockerfileImages(images, missingTarget);
        }

        private static void Read(Instruction instruction, char escape, IReadOnlyDictionary<string, string> buildArgs,
            Dictionary<string, string?> globals, List<Stage> stages, Dictionary<string, int> named)
        {
            var current = stages.Count > 0 ? stages[stages.Count - 1] : null;
            string? Lookup(string name) =>
                current != null && current.Args.TryGetValue(name, out var local) ? local : globals.TryGetValue(name, out var global) ? global : null;
            var expander = VariableExpander.ForDockerfile(Lookup, escape);

            switch (instruction.Keyword)
            {
                case "ARG":
                    foreach (var word in Words(instruction.Arguments))
                    {
                        var eq = word.IndexOf('=');
                        var name = eq < 0 ? word : word.Substring(0, eq);
                        string? value = buildArgs.TryGetValue(name, out var given) ? given
                            : eq >= 0 ? expander.Expand(word.Substring(eq + 1), new List<string>())
                            : current != null && globals.TryGetValue(name, out var inherited) ? inherited
                            : null;
                        (current?.Args ?? globals)[name] = value;
                    }
                    break;
                case "FROM":
                    var words = Words(instruction.Arguments).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
                    if (words.Count == 0) break;
                    var alias = words.Count >= 3 && string.Equals(words[1], "AS", StringComparison.OrdinalIgnoreCase) ? words[2].ToLowerInvariant() : null;
                    var stage = new Stage(alias);
                    // FROM sees only the global ARGs.
                    var fromExpander = VariableExpander.ForDockerfile(n => globals.TryGetValue(n, out var v) ? v : null, escape);
                    AddSource(stage, stages, named, words[0], fromExpander, instruction.Line, allowIndex: false);
                    if (alias != null && !named.ContainsKey(alias)) named[alias] = stages.Count;
                    stages.Add(stage);
                    break;
                case "COPY":
                case "RUN":
                    if (current == null) break;
                    foreach (var flag in Words(instruction.Arguments).TakeWhile(w => w.StartsWith("--", StringComparison.Ordinal)))
                    {
                        var from = FromOf(flag);
                        if (from != null) AddSource(current, stages, named, from, expander, instruction.Line, allowIndex: true);
                    }
                    break;
            }
        }

        private static string? FromOf(string flag)
        {
            if (flag.StartsWith("--from=", StringComparison.Ordinal)) return flag.Substring("--from=".Length);
            if (!flag.StartsWith("--mount=", StringComparison.Ordinal)) return null;
            foreach (var pair in flag.Substring("--mount=".Length).Split(','))
            {
                if (pair.StartsWith("from=", StringComparison.Ordinal)) return pair.Substring("from=".Length);
            }
            return null;
        }

        private static void AddSource(Stage stage, List<Stage> earlier, Dictionary<string, int> named, string written, VariableExpander expander, int line, bool allowIndex)
        {
            var unresolved = new List<string>();
            var reference = expander.Expand(written, unresolved);
            var lower = reference.ToLowerInvariant();
            if (lower == "scratch") return;
            if (allowIndex && int.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < earlier.Count)
            {
                stage.DependsOn.Add(index);
                return;
            }
            if (named.TryGetValue(lower, out var earlierStage) && unresolved.Count == 0)
            {
                stage.DependsOn.Add(earlierStage);
                return;
            }
            stage.Images.Add(new DockerfileImage(written, reference, unresolved.Distinct().ToList(), line, stage.Name));
        }

        private static List<int> Reachable(List<Stage> stages, int start)
        {
            var seen = new SortedSet<int>();
            var todo = new Stack<int>();
            todo.Push(start);
            while (todo.Count > 0)
            {
                var i = todo.Pop();
                if (!seen.Add(i)) continue;
                foreach (var d in stages[i].DependsOn) todo.Push(d);
            }
            return seen.ToList();
        }

        /// <summary>Logical instructions with the line each starts on; comments, blank lines and heredoc bodies dropped.</summary>
        private static List<Instruction> Instructions(string text, out char escape)
        {
            escape = '\\';
            var lines = text.Replace("\r\n", "\n").Split('\n');
            var i = 0;
            for (; i < lines.Length; i++)
            {
                var directive = Directive.Match(lines[i].Trim());
                if (!directive.Success) break;
                if (string.Equals(directive.Groups["name"].Value, "escape", StringComparison.OrdinalIgnoreCase) && directive.Groups["value"].Value == "`")
                    escape = '`';
            }

            var result = new List<Instruction>();
            while (i < lines.Length)
            {
                var trimmed = lines[i].Trim();
                if (trimmed.Length == 0 || trimmed[0] == '#')
                {
                    i++;
                    continue;
                }
                var start = i;
                var logical = new StringBuilder();
                while (i < lines.Length)
                {
                    var line = lines[i++];
                    var content = line.TrimEnd();
                    if (logical.Length > 0 && (content.Trim().Length == 0 || content.TrimStart().StartsWith("#", StringComparison.Ordinal))) continue;
                    if (content.Length > 0 && content[content.Length - 1] == escape)
                    {
                        logical.Append(content, 0, content.Length - 1).Append(' ');
                        continue;
                    }
                    logical.Append(content);
                    break;
                }

                var body = logical.ToString().Trim();
                var space = body.IndexOfAny(new[] { ' ', '\t' });
                var keyword = (space < 0 ? body : body.Substring(0, space)).ToUpperInvariant();
                var arguments = space < 0 ? "" : body.Substring(space + 1).Trim();
                result.Add(new Instruction(keyword, arguments, start + 1));

                if (keyword == "RUN" || keyword == "COPY" || keyword == "ADD")
                {
                    foreach (Match heredoc in Heredoc.Matches(arguments))
                    {
                        var word = heredoc.Groups["word"].Value;
                        var stripTabs = heredoc.Groups["dash"].Value == "-";
                        while (i < lines.Length && (stripTabs ? lines[i].TrimStart('\t').TrimEnd('\r') : lines[i].TrimEnd('\r')) != word) i++;
                        i++;
                    }
                }
            }
            return result;
        }

        /// <summary>Splits on white space outside quotes and removes the quotes, as the shell-like Dockerfile words are read.</summary>
        private static List<string> Words(string arguments)
        {
            var words = new List<string>();
            var word = new StringBuilder();
            var inWord = false;
            char quote = '\0';
            foreach (var c in arguments)
            {
                if (quote != '\0')
                {
                    if (c == quote) quote = '\0';
                    else word.Append(c);
                }
                else if (c == '"' || c == '\'')
                {
                    quote = c;
                    inWord = true;
                }
                else if (char.IsWhiteSpace(c))
                {
                    if (inWord) words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
                else
                {
                    word.Append(c);
                    inWord = true;
                }
            }
            if (inWord) words.Add(word.ToString());
            return words;
        }
    }
}
