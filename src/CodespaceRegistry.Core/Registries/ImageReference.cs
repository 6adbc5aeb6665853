using System;
using System.Text.RegularExpressions;

namespace CodespaceRegistry.Registries
{
    /// <summary>
    /// An image (or OCI artifact) reference, parsed by the docker reference grammar:
    /// <c>[domain/]path[:tag][@digest]</c>, Docker Hub by default, <c>library/</c> for official images.
    /// </summary>
    public sealed class ImageReference
    {
        /// <summary>Docker's limit on <c>domain/path</c>.</summary>
        public const int MaxNameLength = 255;

        private static readonly Regex PathComponent = new Regex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$", RegexOptions.CultureInvariant);
        private static readonly Regex TagPattern = new Regex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant);
        private static readonly Regex DigestPattern = new Regex(@"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,1024}$", RegexOptions.CultureInvariant);

        private ImageReference(RegistryServer registry, string repository, string? tag, string? digest)
        {
            Registry = registry;
            Repository = repository;
            Tag = tag;
            Digest = digest;
        }

        /// <summary>The registry the reference points at (Docker Hub when it names none).</summary>
        public RegistryServer Registry { get; }

        /// <summary>The repository path inside the registry, such as <c>library/ubuntu</c> or <c>octo-org/app</c>.</summary>
        public string Repository { get; }

        /// <summary>The tag, <c>latest</c> when neither tag nor digest was written.</summary>
        public string? Tag { get; }

        public string? Digest { get; }

        /// <summary>What a manifest request names: the digest when there is one, else the tag.</summary>
        public string ManifestReference => Digest ?? Tag ?? "latest";

        /// <summary>The fully qualified reference, such as <c>docker.io/library/ubuntu:latest</c>.</summary>
        public string FullName => Registry.Host + "/" + Repository + (Tag != null ? ":" + Tag : "") + (Digest != null ? "@" + Digest : "");

        public static ImageReference Parse(string? input)
        {
            var error = Validate(input, out var reference);
            if (error != null)
            {
                throw new RegistryException("InvalidImageReference", ErrorKind.InvalidArgument,
                    $"'{Redaction.Echo(input)}' is not an image reference: {error} Write it as registry/repository:tag, such as ghcr.io/octo-org/app:1.0.");
            }
            return reference!;
        }

        public static bool TryParse(string? input, out ImageReference? reference) => Validate(input, out reference) == null;

        private static string? Validate(string? input, out ImageReference? reference)
        {
            reference = null;
            var s = (input ?? "").Trim();
            if (s.Length == 0) return "it is empty.";
            foreach (var prefix in new[] { "docker://", "oci://", "https://", "http://" })
            {
                if (s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) { s = s.Substring(prefix.Length); break; }
            }

            string? digest = null;
            var at = s.IndexOf('@');
            if (at >= 0)
            {
                digest = s.Substring(at + 1);
                s = s.Substring(0, at);
                if (!DigestPattern.IsMatch(digest)) return $"the digest '{Redaction.Echo(digest)}' is not algorithm:hex.";
            }

            string? tag = null;
            var lastSlash = s.LastIndexOf('/');
            var colon = s.LastIndexOf(':');
            if (colon > lastSlash)
            {
                tag = s.Substring(colon + 1);
                s = s.Substring(0, colon);
                if (!TagPattern.IsMatch(tag)) return $"the tag '{Redaction.Echo(tag)}' may hold only letters, digits, '_', '.' and '-' (at most 128).";
            }

            var firstSlash = s.IndexOf('/');
            string domain;
            string path;
            var first = firstSlash < 0 ? "" : s.Substring(0, firstSlash);
            if (firstSlash >= 0 && (first.IndexOfAny(new[] { '.', ':' }) >= 0 || first == "localhost" || first.ToLowerInvariant() != first))
            {
                domain = first;
                path = s.Substring(firstSlash + 1);
            }
            else
            {
                domain = RegistryServer.DockerHubHost;
                path = s;
            }

            if (!RegistryServer.TryParse(domain, out var registry, out var serverError)) return serverError;
            if (registry!.Kind == RegistryKind.DockerHub && path.IndexOf('/') < 0) path = "library/" + path;
            if (path.Length == 0) return "it names no repository.";
            if (domain.Length + 1 + path.Length > MaxNameLength) return $"the name is longer than the {MaxNameLength} characters a registry accepts.";
            foreach (var component in path.Split('/'))
            {
                if (!PathComponent.IsMatch(component))
                    return $"'{Redaction.Echo(component)}' is not a valid repository path component (lower-case letters, digits and single separators).";
            }
            if (tag == null && digest == null) tag = "latest";
            reference = new ImageReference(registry, path, tag, digest);
            return null;
        }

        public override string ToString() => FullName;
    }
}
