// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";

/**
 * @dev Evaluation fixture for the analyst: a contract deployed for the DAO and not yet initialized;
 * the proposal's `initialize` is its first, making the timelock its owner. Not for deployment.
 */
contract EvalPayrollVault is Initializable {
    address public owner;

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    error EvalUnauthorized(address caller);

    receive() external payable {}

    /// @notice Sets the owner; runs once.
    function initialize(address owner_) external initializer {
        emit OwnershipTransferred(address(0), owner_);
        owner = owner_;
    }

    /// @notice Pays `amount` wei to `to`; only the owner may.
    function pay(address payable to, uint256 amount) external {
        if (msg.sender != owner) revert EvalUnauthorized(msg.sender);
        (bool ok, ) = to.call{value: amount}("");
        require(ok, "payment failed");
    }
}
