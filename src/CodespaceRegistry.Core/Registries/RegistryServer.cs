using System;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace CodespaceRegistry.Registries
{
    /// <summary>
    /// A registry server as written in <c>&lt;ID&gt;_CONTAINER_REGISTRY_SERVER</c> or as the domain of an
    /// image reference: normalised, classified, and keyed the way the docker config keys it.
    /// </summary>
    public sealed class RegistryServer : IEquatable<RegistryServer>
    {
        /// <summary>The docker-config key of Docker Hub, and the SERVER value the Codespaces docs give for it.</summary>
        public const string DockerHubConfigKey = "https://index.docker.io/v1/";

        /// <summary>The host image references use for Docker Hub.</summary>
        public const string DockerHubHost = "docker.io";

        // Docker Hub's many names: the reference domain, the index, the API host and the web UI.
        private static readonly string[] DockerHubAliases =
        {
            "docker.io", "index.docker.io", "registry-1.docker.io", "registry.docker.io",
            "registry.hub.docker.com", "hub.docker.com", "www.docker.io", "docker.com",
        };

        // As amazon-ecr-credential-helper matches private ECR hosts: every partition, FIPS, dual-stack.
        private static readonly Regex EcrHost = new Regex(
            @"^(?<account>\d{12})\.dkr[.-]ecr(?<fips>-fips)?\.(?<region>[a-z0-9][a-z0-9_-]*)\." +
            @"(?<suffix>amazonaws\.com(?:\.cn)?|amazonaws\.eu|on\.aws|on\.amazonwebservices\.com\.cn|" +
            @"sc2s\.sgov\.gov|c2s\.ic\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov)$",
            RegexOptions.CultureInvariant);

        private static readonly Regex HostLabel = new Regex(@"^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$", RegexOptions.CultureInvariant);
        private static readonly Regex SchemePrefix = new Regex(@"^(?<scheme>[A-Za-z][A-Za-z0-9+.-]*)://", RegexOptions.CultureInvariant);

        private RegistryServer(string input) { Input = input; }

        /// <summary>What the user wrote (servers are not secrets).</summary>
        public string Input { get; }

        /// <summary>The normalised <c>host[:port]</c>, lower case; <c>docker.io</c> for every Docker Hub alias.</summary>
        public string Host { get; private set; } = "";

        /// <summary>The host name without port (IPv6 without brackets).</summary>
        public string HostName { get; private set; } = "";

        public int? Port { get; private set; }

        /// <summary>The scheme the user wrote (<c>http</c> or <c>https</c>), or null.</summary>
        public string? Scheme { get; private set; }

        /// <summary>The path the user wrote after the host (such as <c>/v1/</c>), or null.</summary>
        public string? Path { get; private set; }

        public RegistryKind Kind { get; private set; }

        /// <summary>The key docker's config.json uses for this registry.</summary>
        public string ConfigKey { get; private set; } = "";

        /// <summary>The host that answers the registry API (<c>/v2/</c>): <c>registry-1.docker.io</c> for Docker Hub.</summary>
        public string ApiHost { get; private set; } = "";

        /// <summary>AWS account id of an ECR registry.</summary>
        public string? AccountId { get; private set; }

        /// <summary>Region of an ECR registry (us-east-1 for ECR Public) or of an Artifact Registry host.</summary>
        public string? Region { get; private set; }

        /// <summary>AWS partition of an ECR registry: aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc.</summary>
        public string? Partition { get; private set; }

        public bool IsFips { get; private set; }

        public bool IsDualStack { get; private set; }

        /// <summary>The registry name of an Azure Container Registry (<c>myreg</c> of <c>myreg.azurecr.io</c>).</summary>
        public string? RegistryName { get; private set; }

        /// <summary>GitHub Packages' package type for a GitHub Packages host: container, docker, npm, nuget, rubygems, maven.</summary>
        public string? PackageType { get; private set; }

        /// <summary>
        /// True for a loopback address and the name <c>localhost</c>: a hint from the text alone. Whether credentials may
        /// cross plain HTTP is decided by <see cref="Distribution.RegistryClient"/> on the literal or resolved address.
        /// </summary>
        public bool IsLoopback { get; private set; }

        /// <summary>True when the input carried a scheme or a path that the host alone would not.</summary>
        public bool HasSchemeOrPath => Scheme != null || Path != null;

        public static bool TryParse(string? input, out RegistryServer? server, out string? error)
        {
            server = null;
            error = Validate(input, out var parsed);
            if (error != null) return false;
            server = parsed;
            return true;
        }

        /// <exception cref="RegistryException">ErrorId <c>InvalidRegistryServer</c> naming what is wrong.</exception>
        public static RegistryServer Parse(string? input)
        {
            var error = Validate(input, out var server);
            if (error != null)
            {
                throw new RegistryException("InvalidRegistryServer", ErrorKind.InvalidArgument,
                    $"'{Redaction.Echo(input)}' is not a registry server: {error} Write the host, such as ghcr.io, myregistry.azurecr.io or localhost:5000.");
            }
            return server!;
        }

        private static string? Validate(string? input, out RegistryServer? result)
        {
            result = null;
            if (input == null || input.Trim().Length == 0) return "it is empty.";
            var s = input.Trim().Trim('"', '\'').Trim();
            var server = new RegistryServer(input);

            var scheme = SchemePrefix.Match(s);
            if (scheme.Success)
            {
                var name = scheme.Groups["scheme"].Value.ToLowerInvariant();
                if (name != "http" && name != "https") return $"the scheme '{name}' is not http or https.";
                server.Scheme = name;
                s = s.Substring(scheme.Length);
            }

            var slash = s.IndexOf('/');
            var authority = slash < 0 ? s : s.Substring(0, slash);
            if (slash >= 0)
            {
                var path = s.Substring(slash);
                if (path != "/") server.Path = path;
            }
            if (authority.IndexOf('@') >= 0) return "it carries user information before '@'; put the user in the USER secret.";
            if (authority.Length == 0) return "it has no host.";
            if (authority.IndexOfAny(new[] { ' ', '\t', '\r', '\n', '?', '#', '\\' }) >= 0) return "the host contains a space or a character hosts cannot contain.";

            string host;
            string? port = null;
            if (authority[0] == '[')
            {
                var close = authority.IndexOf(']');
                if (close < 0) return "an IPv6 address lacks its closing ']'.";
                host = authority.Substring(1, close - 1);
                var rest = authority.Substring(close + 1);
                if (rest.Length > 0)
                {
                    if (rest[0] != ':') return "unexpected text after the IPv6 address.";
                    port = rest.Substring(1);
                }
                if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
                    return "the bracketed part is not an IPv6 address.";
                host = v6.ToString().ToLowerInvariant();
                server.IsLoopback = IPAddress.IsLoopback(v6);
            }
            else
            {
                var colon = authority.LastIndexOf(':');
                if (colon >= 0)
                {
                    if (authority.IndexOf(':') != colon) return "an IPv6 address must be written in brackets, such as [::1]:5000.";
                    port = authority.Substring(colon + 1);
                    authority = authority.Substring(0, colon);
                }
                host = authority.TrimEnd('.').ToLowerInvariant();
                if (IPAddress.TryParse(host, out var v4) && host.Split('.').Length == 4)
                {
                    server.IsLoopback = IPAddress.IsLoopback(v4);
                }
                else
                {
                    if (host.Length > 253) return "the host name is longer than 253 characters.";
                    foreach (var label in host.Split('.'))
                    {
                        if (!HostLabel.IsMatch(label)) return "a part of the host name holds characters host names cannot hold, or is empty or too long.";
                    }
                    server.IsLoopback = host == "localhost";
                    if (!server.IsLoopback && host.IndexOf('.') < 0 && port == null)
                        return "a registry host is a domain name (such as ghcr.io), localhost or an IP address, with a port if it is a single name.";
                }
            }

            if (port != null)
            {
                if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p < 1 || p > 65535)
                    return "the port is not a number from 1 to 65535.";
                server.Port = p;
            }

            server.HostName = host;
            var bracketed = host.IndexOf(':') >= 0 ? "[" + host + "]" : host;
            server.Host = server.Port is int pp ? bracketed + ":" + pp.ToString(CultureInfo.InvariantCulture) : bracketed;
            server.ApiHost = server.Host;
            server.ConfigKey = server.Host;
            server.Classify();
            result = server;
            return null;
        }

        private void Classify()
        {
            if (Port == null && Array.IndexOf(DockerHubAliases, HostName) >= 0)
            {
                Kind = RegistryKind.DockerHub;
                Host = DockerHubHost;
                ApiHost = "registry-1.docker.io";
                ConfigKey = DockerHubConfigKey;
                return;
            }
            if (Port != null) return;

            switch (HostName)
            {
                case "ghcr.io":
                    Kind = RegistryKind.GitHubContainerRegistry;
                    PackageType = "container";
                    return;
                case "docker.pkg.github.com":
                    Kind = RegistryKind.GitHubPackages;
                    PackageType = "docker";
                    return;
                case "npm.pkg.github.com":
                case "nuget.pkg.github.com":
                case "rubygems.pkg.github.com":
                case "maven.pkg.github.com":
                    Kind = RegistryKind.GitHubPackages;
                    PackageType = HostName.Substring(0, HostName.IndexOf('.'));
                    return;
                case "public.ecr.aws":
                    Kind = RegistryKind.AmazonEcrPublic;
                    Region = "us-east-1";
                    Partition = "aws";
                    return;
            }

            var ecr = EcrHost.Match(HostName);
            if (ecr.Success)
            {
                Kind = RegistryKind.AmazonEcr;
                AccountId = ecr.Groups["account"].Value;
                Region = ecr.Groups["region"].Value;
                IsFips = ecr.Groups["fips"].Success;
                var suffix = ecr.Groups["suffix"].Value;
                IsDualStack = suffix.StartsWith("on.", StringComparison.Ordinal);
                Partition = PartitionOf(suffix, Region);
                return;
            }

            var labels = HostName.Split('.');
            if (EndsWith(labels, "azurecr", "io") || EndsWith(labels, "azurecr", "cn") || EndsWith(labels, "azurecr", "us") || EndsWith(labels, "azurecr", "de"))
            {
                if (labels.Length >= 3)
                {
                    Kind = RegistryKind.AzureContainerRegistry;
                    RegistryName = labels[0];
                }
                return;
            }
            if (HostName == "gcr.io" || (labels.Length >= 3 && EndsWith(labels, "gcr", "io")))
            {
                Kind = RegistryKind.GoogleContainerRegistry;
                return;
            }
            if (labels.Length == 3 && labels[1] == "pkg" && labels[2] == "dev" && labels[0].EndsWith("-docker", StringComparison.Ordinal))
            {
                Kind = RegistryKind.GoogleArtifactRegistry;
                Region = labels[0].Substring(0, labels[0].Length - "-docker".Length);
            }
        }

        private static bool EndsWith(string[] labels, string secondLast, string last) =>
            labels.Length >= 2 && labels[labels.Length - 1] == last && labels[labels.Length - 2] == secondLast;

        private static string PartitionOf(string suffix, string region)
        {
            switch (suffix)
            {
                case "amazonaws.com.cn":
                case "on.amazonwebservices.com.cn": return "aws-cn";
                case "amazonaws.eu": return "aws-eusc";
                case "c2s.ic.gov": return "aws-iso";
                case "sc2s.sgov.gov": return "aws-iso-b";
                case "cloud.adc-e.uk": return "aws-iso-e";
                case "csp.hci.ic.gov": return "aws-iso-f";
                default: return region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";
            }
        }

        /// <summary>True when a docker-config key (any form docker or a user wrote) names this registry.</summary>
        public bool MatchesConfigKey(string key) =>
            TryParse(key, out var other, out _) && other!.ConfigKey == ConfigKey;

        public bool Equals(RegistryServer? other) => other != null && other.ConfigKey == ConfigKey;

        public override bool Equals(object? obj) => Equals(obj as RegistryServer);

        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ConfigKey);

        public override string ToString() => Host;
    }
}
