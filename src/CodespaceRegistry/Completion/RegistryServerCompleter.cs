using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.Json;
using CodespaceRegistry.DockerConfig;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Commands.Completion
{
    /// <summary>Completes a server with those the environment's registry secret sets name and those docker's config.json (or -ConfigPath's file) holds credentials for.</summary>
    public sealed class RegistryServerCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var candidates = new List<(string, string)>();
            foreach (var set in SecretSetReader.FromProcessEnvironment(TimeProvider.System))
            {
                var server = set.ServerValue?.Trim();
                if (!string.IsNullOrEmpty(server)) candidates.Add((server!, $"{server} (secret set {set.Name})"));
            }
            try
            {
                var configPath = Completions.BoundText(fakeBoundParameters, "ConfigPath");
                var location = Completions.BoundText(fakeBoundParameters, "Target") == CredentialFileCmdletBase.ContainersAuth
                    ? DockerConfigLocation.ForContainers(configPath)
                    : DockerConfigLocation.ForDocker(configPath);
                if (File.Exists(location.Path))
                {
                    // The keys only: "auths" and "credHelpers" of config.json (auth.json has "auths").
                    using var json = JsonDocument.Parse(File.ReadAllText(location.Path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
                    foreach (var field in new[] { "auths", "credHelpers" })
                    {
                        if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty(field, out var keys) || keys.ValueKind != JsonValueKind.Object) continue;
                        candidates.AddRange(keys.EnumerateObject().Select(k => (k.Name, $"{k.Name} ({location.Path})")));
                    }
                }
            }
            catch (Exception)
            {
                // An unreadable config file completes nothing from it; the command itself reports why.
            }
            return Completions.Of(candidates, wordToComplete);
        }
    }
}
