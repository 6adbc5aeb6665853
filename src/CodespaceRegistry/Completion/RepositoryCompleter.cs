using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;

namespace CodespaceRegistry.Commands.Completion
{
    /// <summary>
    /// Completes a repository (owner/name) with GITHUB_REPOSITORY and the GitHub remotes of the git repository around the
    /// current location, read from its .git/config (git itself is not run).
    /// </summary>
    public sealed class RepositoryCompleter : IArgumentCompleter
    {
        // https://github.com/owner/name(.git), git@github.com:owner/name(.git), ssh://git@host/owner/name: the last two segments.
        private static readonly Regex RemoteUrl = new Regex(@"^\s*url\s*=\s*\S*?[:/](?<owner>[A-Za-z0-9][A-Za-z0-9-]*)/(?<name>[A-Za-z0-9._-]+?)(\.git)?/?\s*$", RegexOptions.CultureInvariant);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var candidates = new List<(string, string)>();
            var fromEnvironment = Environment.GetEnvironmentVariable("GITHUB_REPOSITORY");
            if (!string.IsNullOrWhiteSpace(fromEnvironment)) candidates.Add((fromEnvironment!.Trim(), $"{fromEnvironment} (GITHUB_REPOSITORY)"));
            using (var shell = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                // The current location is the session's, not the process's.
                var location = shell.AddCommand("Get-Location").Invoke().FirstOrDefault()?.BaseObject as PathInfo;
                if (location?.Provider.Name == "FileSystem") candidates.AddRange(RemotesAround(location.ProviderPath));
            }
            return Completions.Of(candidates, wordToComplete);
        }

        /// <summary>owner/name of each remote in the .git/config of <paramref name="directory"/> or the nearest folder above it.</summary>
        internal static IEnumerable<(string, string)> RemotesAround(string directory)
        {
            for (var dir = new DirectoryInfo(directory); dir != null; dir = dir.Parent)
            {
                var config = Path.Combine(dir.FullName, ".git", "config");
                if (!File.Exists(config)) continue;
                string? remote = null;
                var found = new List<(string, string)>();
                foreach (var line in SafeLines(config))
                {
                    var section = Regex.Match(line, @"^\s*\[remote\s+""(?<name>[^""]+)""\]");
                    if (section.Success) { remote = section.Groups["name"].Value; continue; }
                    if (line.TrimStart().StartsWith("[", StringComparison.Ordinal)) { remote = null; continue; }
                    var url = RemoteUrl.Match(line);
                    if (remote != null && url.Success) found.Add(($"{url.Groups["owner"].Value}/{url.Groups["name"].Value}", $"git remote {remote}"));
                }
                return found;
            }
            return Array.Empty<(string, string)>();
        }

        private static IEnumerable<string> SafeLines(string path)
        {
            try
            {
                return File.ReadAllLines(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return Array.Empty<string>();
            }
        }
    }
}
