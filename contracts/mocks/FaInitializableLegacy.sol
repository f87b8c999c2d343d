// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @dev Test fixture for the analyst's initializer check: a vault with its own initializer guard (not
 * OpenZeppelin's Initializable storage) that does not hold, as the Audius contracts' did in 2022 when
 * their `initialized` flag shared a storage slot with the proxy's admin. Anyone can run `initialize`
 * again and become the owner. Not for deployment.
 */
contract FaInitializableLegacy {
    address public owner;
    bool private _initializing;
    bool private _initialized;

    error FaAlreadyInitialized();
    error FaUnauthorized(address caller);
    error FaTransferFailed();

    constructor(address owner_) {
        initialize(owner_);
    }

    receive() external payable {}

    /// @notice Sets the owner. The guard checks `_initialized`, which is never set: the flaw.
    function initialize(address owner_) public {
        if (_initialized && !_initializing) revert FaAlreadyInitialized();
        _initializing = true;
        owner = owner_;
        _initializing = false;
    }

    /// @notice Sends the vault's ETH to `to`: only the owner.
    function withdraw(address payable to) external {
        if (msg.sender != owner) revert FaUnauthorized(msg.sender);
        (bool ok, ) = to.call{value: address(this).balance}("");
        if (!ok) revert FaTransferFailed();
    }
}
