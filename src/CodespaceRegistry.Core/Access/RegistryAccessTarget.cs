using System;
using System.Collections.Generic;
using System.Linq;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Access
{
    /// <summary>How the credentials of an access check were chosen.</summary>
    public enum AccessCredentialSource
    {
        /// <summary>No credentials: no set names the server and none were given.</summary>
        Anonymous = 0,

        /// <summary>The credential given with -Credential.</summary>
        Credential,

        /// <summary>A registry secret set: the one given, or the one a codespace logs in to the image's registry with.</summary>
        SecretSet,
    }

    /// <summary>One input of the diagnosis: a secret set, or a server (or image) with an optional credential.</summary>
    public sealed class RegistryAccessTarget
    {
        private RegistryAccessTarget(string name, RegistrySecretSet? set, RegistryServer? server, RegistryCredential? credential, ImageReference? image, SecretSetMatch? match = null)
        {
            Name = name;
            SecretSet = set;
            Server = server;
            Credential = credential;
            Image = image;
            Match = match;
        }

        public string Name { get; }

        public RegistrySecretSet? SecretSet { get; }

        /// <summary>The server; null when a set's SERVER is missing or invalid.</summary>
        public RegistryServer? Server { get; }

        /// <summary>The credential given with a server or image (a set's is resolved during the checks).</summary>
        public RegistryCredential? Credential { get; }

        /// <summary>The image whose pull (and push) permission is checked, when one is named.</summary>
        public ImageReference? Image { get; }

        /// <summary>The sets that name the image's registry, when the set was chosen as a codespace chooses it; null otherwise.</summary>
        public SecretSetMatch? Match { get; }

        public AccessCredentialSource CredentialSource =>
            SecretSet != null ? AccessCredentialSource.SecretSet : Credential != null ? AccessCredentialSource.Credential : AccessCredentialSource.Anonymous;

        public string? UserName => SecretSet?.User ?? Credential?.UserName;

        /// <summary>
        /// Inputs with the same key are the same check (same kind, server, image and credentials): it runs once and
        /// answers each of them.
        /// </summary>
        public string Key => string.Join("\n", new[]
        {
            Name, Server?.ConfigKey ?? "", Image?.FullName ?? "", CredentialSource.ToString(),
            SecretSet == null ? "" : SecretSet.Name + "/" + SecretSet.Level, Credential?.UserName ?? "",
        });

        /// <summary>A set, optionally with an image on its server (an image on another server is an argument error).</summary>
        public static RegistryAccessTarget ForSecretSet(RegistrySecretSet set, ImageReference? image = null)
        {
            if (set == null) throw new ArgumentNullException(nameof(set));
            if (image != null && set.Server != null && !image.Registry.Equals(set.Server))
            {
                throw new RegistryException("ImageNotOnSetServer", ErrorKind.InvalidArgument,
                    $"The image {image.FullName} is not on {set.Server.Host}, the server of the secret set '{set.Name}'. Name an image on that registry.");
            }
            return new RegistryAccessTarget(set.Name, set, set.Server, null, image);
        }

        public static RegistryAccessTarget ForServer(RegistryServer server, RegistryCredential? credential) =>
            new RegistryAccessTarget(server.Host, null, server ?? throw new ArgumentNullException(nameof(server)), credential, null);

        /// <summary>An image checked with the credential given, or anonymously when it is null.</summary>
        public static RegistryAccessTarget ForImage(ImageReference image, RegistryCredential? credential) =>
            new RegistryAccessTarget(image.FullName, null, image.Registry, credential, image);

        /// <summary>
        /// An image checked as a codespace pulls it: with the set (of <paramref name="sets"/>) that names its registry,
        /// or anonymously when none does.
        /// </summary>
        public static RegistryAccessTarget ForImageAsCodespace(ImageReference image, IEnumerable<RegistrySecretSet> sets)
        {
            if (image == null) throw new ArgumentNullException(nameof(image));
            var match = SecretSetMatch.For(sets, image.Registry);
            return new RegistryAccessTarget(image.FullName, match.Winner, image.Registry, null, image, match);
        }

        public override string ToString() => Name;
    }
}
