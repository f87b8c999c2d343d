// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @dev Evaluation fixture for the analyst: answers `getOwners()` and `getThreshold()` as a Safe
 * multisig does and receives ETH and tokens. It executes nothing. Not for deployment.
 */
contract EvalSafe {
    address[] private _owners;
    uint256 private immutable _threshold;

    constructor(address[] memory owners_, uint256 threshold_) {
        _owners = owners_;
        _threshold = threshold_;
    }

    receive() external payable {}

    /// @notice The owners of the multisig.
    function getOwners() external view returns (address[] memory) {
        return _owners;
    }

    /// @notice How many owners must sign a transaction.
    function getThreshold() external view returns (uint256) {
        return _threshold;
    }
}
