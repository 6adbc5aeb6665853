using CodespaceRegistry.Registries;

namespace CodespaceRegistry.Distribution
{
    /// <summary>The classified outcome of a pull (or push) check on one image.</summary>
    public sealed class RegistryAccessResult
    {
        internal RegistryAccessResult(ImageReference image, bool push, string? digest, RegistryProtocolException? failure)
        {
            Image = image;
            Push = push;
            Digest = digest;
            Exception = failure;
        }

        public ImageReference Image { get; }

        /// <summary>True for a push check, false for a pull check.</summary>
        public bool Push { get; }

        public bool Allowed => Exception == null;

        public RegistryFailure Failure => Exception?.Failure ?? RegistryFailure.None;

        /// <summary>The manifest digest the registry named (pull checks).</summary>
        public string? Digest { get; }

        /// <summary>Why access failed: ErrorId, message with the fix, status code.</summary>
        public RegistryProtocolException? Exception { get; }

        public override string ToString() => $"{(Push ? "push" : "pull")} {Image}: {(Allowed ? "allowed" : Failure.ToString())}";
    }
}
