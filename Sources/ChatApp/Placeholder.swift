/// Placeholder until the chat app lands.
public enum ChatAppPlaceholder {}
